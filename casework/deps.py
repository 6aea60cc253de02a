"""FastAPI dependencies: settings, clock and database sessions, all from ``app.state``.

Nothing here is built at import time; ``create_app`` puts the engine, the session
factory and the clock on the application, and tests swap them there. Who is acting comes
from ``casework.accounts.auth.current_actor``; what they may do from ``casework.authz``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


def get_session_factory(request: Request) -> sessionmaker[Session]:
    return request.app.state.session_factory


def read_session(request: Request) -> Iterator[Session]:
    """A session for reading; it never commits."""
    with request.app.state.session_factory() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Clock, Depends(get_clock)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
ReadSessionDep = Annotated[Session, Depends(read_session)]
