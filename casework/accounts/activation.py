"""Activation links: a new account gets no password typed by anyone; its person receives a
one-time link (e-mail, or SMS when there is no e-mail) and sets their own. Someone who
forgot their password gets the same kind of link from the administrator.

The token is 256 random bits; only its SHA-256 is stored, and the outbox row that carries
the link holds it sealed with the data keys (``crypto``), opened only to render the
message. A link works once and for ``activation_hours``; a new link for the same person
revokes the ones before. Wrong, used, revoked and expired links are told apart in
Vietnamese, so the person knows to ask for a new one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from casework import crypto, notices
from casework.accounts import service as account_service
from casework.accounts.models import AccountActivation, User
from casework.config import Settings
from casework.errors import FieldError, InvalidInput
from notifications.outbox import enqueue_many

KIND = "account.activate"  # a new account: set your password
RESET = "account.reset"  # a forgotten password: set a new one
PURPOSE = "account_activation"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    session: Session,
    *,
    user: User,
    settings: Settings,
    now: datetime,
    by: int | None,
    kind: str = KIND,
) -> AccountActivation:
    """A new link for ``user``, sent to their e-mail or phone; earlier links stop working.
    ``kind``: the message, for a new account or a forgotten password (the same link)."""
    assert user.id is not None
    for earlier in session.exec(
        select(AccountActivation).where(
            AccountActivation.user_id == user.id,
            AccountActivation.used_at.is_(None),
            AccountActivation.revoked_at.is_(None),
        )
    ):
        earlier.revoked_at = now
        session.add(earlier)
    token = secrets.token_urlsafe(32)
    link = AccountActivation(
        user_id=user.id,
        token_hash=_hash(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.activation_hours),
        created_by_id=by,
    )
    session.add(link)
    session.flush()
    sealed = crypto.keyring().encrypt(token, purpose=PURPOSE)
    expires = link.expires_at.astimezone(settings.tz).isoformat()
    enqueue_many(
        session,
        notices.messages_for(
            [user],
            kind=kind,
            subject_ref=f"user:{user.id}",
            dedupe=f"activation:{link.id}",
            context={"activation": sealed, "username": user.username, "expires_at": expires},
            urgent=True,  # a person waiting to start: never held back by quiet hours
        ),
        now=now,
    )
    return link


def token_of(sealed: str) -> str:
    """The token in an outbox row's context (the message's renderer only)."""
    return crypto.keyring().decrypt(sealed, purpose=PURPOSE)


def find(
    session: Session, *, token: str, now: datetime, lock: bool = False
) -> tuple[AccountActivation, User]:
    """The link's account, or why the link does not work (a 422 on ``token``). ``lock``:
    hold the link's row, so two requests with one link cannot both use it."""
    statement = select(AccountActivation).where(AccountActivation.token_hash == _hash(token))
    link = session.exec(statement.with_for_update() if lock else statement).first()
    if link is None:
        raise InvalidInput([FieldError(("token",), "activation_unknown")])
    if link.used_at is not None:
        raise InvalidInput([FieldError(("token",), "activation_used")])
    if link.revoked_at is not None:
        raise InvalidInput([FieldError(("token",), "activation_replaced")])
    if link.expires_at <= now:
        raise InvalidInput([FieldError(("token",), "activation_expired")])
    user = session.get_one(User, link.user_id)
    if not user.is_active:
        raise InvalidInput([FieldError(("token",), "activation_unknown")])
    return link, user


def activate(
    session: Session, *, token: str, password: str, settings: Settings, now: datetime
) -> User:
    """The person's own password (policy-checked); the link is spent."""
    link, user = find(session, token=token, now=now, lock=True)
    account_service.set_password(session, settings=settings, user=user, password=password, now=now)
    link.used_at = now
    session.add_all([link, user])
    session.flush()
    return user
