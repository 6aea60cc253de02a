"""FastAPI dependencies: settings, clock and database sessions, all from ``app.state``.

Nothing here is built at import time; ``create_app`` puts the engine, the session
factory and the clock on the application, and tests swap them there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, select

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.clock import Clock
from casework.config import Settings
from casework.errors import CaseworkError


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


def current_actor(
    request: Request,
    x_casework_user: Annotated[
        str | None,
        Header(
            description="Tên đăng nhập của người thực hiện. Tạm thời, cho đến khi có đăng nhập "
            "và token (issue tài khoản) / acting username, until accounts and tokens land"
        ),
    ] = None,
) -> Actor:
    """Who is acting. Until accounts land this is a username header on a loopback-only
    server; the accounts issue replaces this body with sessions and API tokens."""
    if not x_casework_user:
        raise ActorRequired()
    # A short session of its own: the request's writing unit of work must not run inside
    # a transaction this lookup left open.
    with request.app.state.session_factory() as session:
        user = session.exec(
            select(User).where(User.username == x_casework_user, User.is_active)
        ).first()
    if user is None:
        raise ActorUnknown(username=x_casework_user)
    return Actor(user_id=user.id, role=Role(user.role), commune_id=user.commune_id)


def optional_actor(
    request: Request,
    x_casework_user: Annotated[str | None, Header()] = None,
) -> Actor | None:
    return current_actor(request, x_casework_user) if x_casework_user else None


class ActorRequired(CaseworkError):
    status_code = 401
    code = "actor_required"


class ActorUnknown(CaseworkError):
    status_code = 401
    code = "actor_unknown"


ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
