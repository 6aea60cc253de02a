"""A commune with its people and an API client (the workflow tests' story), real SMTP and
SMS servers on 127.0.0.1, and a relay wired to them through the settings."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from casework.accounts.models import User
from casework.config import Settings
from casework.messaging import tasks as messaging_tasks
from notifications.models import OutboxMessage
from tests.casework.workflow.conftest import agencies, commune, people, story  # noqa: F401
from tests.servers import API_KEY, SECRET_KEY, sms_gateway, smtp_server  # noqa: F401


@pytest.fixture
def settings(databases, smtp_server, sms_gateway):  # noqa: F811
    """E-mail to the local aiosmtpd, SMS to the local eSMS-speaking gateway; no quiet hours
    unless a test sets them."""
    return changed(
        databases.settings,
        **{
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server.port,
            "smtp_security": "none",
            "smtp_from": "Casework Thanh Định <casework@thanhdinh.example>",
            "sms_provider": "esms",
            "esms_url": sms_gateway.esms_url,
            "esms_api_key": API_KEY,
            "esms_secret_key": SECRET_KEY,
            "esms_brandname": "UBND-THANHDINH",
            "sms_timeout_seconds": 2,
            "quiet_hours": "",
            "public_url": "https://casework.thanhdinh.example",
        },
    )


def changed(settings: Settings, **changes) -> Settings:
    """The settings with some values changed, validated as if read from the environment."""
    return Settings(_env_file=None, **(settings.model_dump() | changes))


@pytest.fixture
def relay(session_factory, settings, clock):
    def make(**overrides):
        return messaging_tasks.relay(
            session_factory,
            changed(settings, **overrides),
            clock,
            worker="relay-1",
            rng=random.Random(7),
        )

    return make


def outbox(session, **where):
    """The outbox as it is now (the relay wrote through its own sessions)."""
    session.expire_all()
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for column, value in where.items():
        statement = statement.where(getattr(OutboxMessage, column) == value)
    return session.execute(statement).scalars().all()


def set_people(session, changes_by_username):
    """e.g. set_people(session, {"police.officer": {"phone": "+84…", "notify_via": "sms"}})"""
    for short, changes in changes_by_username.items():
        user = session.execute(sa.select(User).where(User.username == f"td.{short}")).scalar_one()
        for key, value in changes.items():
            setattr(user, key, value)
        session.add(user)
    session.commit()
