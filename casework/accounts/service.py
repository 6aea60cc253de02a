"""Accounts: create, disable, set passwords, log in with throttling and lockout, end
browser sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts import passwords
from casework.accounts.models import ApiToken, EndedSession, LoginThrottle, NotifyVia, Role, User
from casework.agencies.models import Agency
from casework.communes.models import Commune
from casework.config import Settings
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.timefmt import as_utc

# Roles that belong to an agency (their tasks come from it); the others must have none.
AGENCY_ROLES = frozenset({Role.agency_officer, Role.agency_head})


class UserNotFound(NotFound):
    code = "user_not_found"


class UsernameTaken(Conflict):
    code = "username_taken"


def get_by_username(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def require_user(session: Session, *, username: str) -> User:
    user = get_by_username(session, username=username)
    if user is None:
        raise UserNotFound(username=username)
    return user


def create_user(
    session: Session,
    *,
    settings: Settings,
    commune_code: str,
    username: str,
    full_name: str,
    role: Role,
    password: str | None,
    now: datetime,
    agency_id: int | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> User:
    """A new active account in a commune; agency officers and heads need their agency.
    Without ``password`` it cannot log in until its person activates it (``activation``)."""
    username = username.strip().lower()
    if role == Role.province_admin:
        raise InvalidInput([FieldError(("role",), "role_of_a_province", {})])
    commune = session.exec(select(Commune).where(Commune.code == commune_code)).first()
    if commune is None:
        params = {"commune_code": commune_code}
        raise InvalidInput([FieldError(("commune",), "commune_not_found", params)])
    if get_by_username(session, username=username) is not None:
        raise UsernameTaken(username=username)
    if role in AGENCY_ROLES or agency_id is not None:
        agency = session.get(Agency, agency_id) if agency_id is not None else None
        if agency is None or agency.commune_id != commune.id:
            params = {"agency_id": agency_id}
            raise InvalidInput([FieldError(("agency",), "agency_not_found", params)])
    if password is not None:
        passwords.check_policy(settings, password, username=username, field="password")
    user = User(
        commune_id=commune.id,
        agency_id=agency_id,
        username=username,
        full_name=full_name,
        role=role,
        email=email,
        phone=phone,
        created_at=now,
        password_hash=passwords.hash_password(settings, password) if password else None,
        password_changed_at=now if password else None,
    )
    session.add(user)
    session.flush()
    return user


def create_province_admin(
    session: Session,
    *,
    province_code: str,
    username: str,
    full_name: str,
    now: datetime,
    email: str | None = None,
    phone: str | None = None,
) -> User:
    """A province administrator: of a province (its 2-digit code), of no commune, without
    a password (their person activates the account from a link, ``activation``)."""
    username = username.strip().lower()
    if get_by_username(session, username=username) is not None:
        raise UsernameTaken(username=username)
    user = User(
        commune_id=None,
        province_code=province_code,
        username=username,
        full_name=full_name,
        role=Role.province_admin,
        email=email,
        phone=phone,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def end_sessions(session: Session, *, user: User) -> None:
    """Every session signed before now is over (log out everywhere)."""
    user.session_epoch += 1
    session.add(user)
    session.flush()


def new_session_id() -> str:
    """The random id a browser session carries in its signed cookie (``sid``)."""
    return secrets.token_urlsafe(32)


def _session_key(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def end_browser_session(
    session: Session, *, user_id: int, sid: str, now: datetime, idle: timedelta
) -> None:
    """Log one browser out on the server: its cookie, or any copy of it, stops working.
    Kept until the cookie would have expired anyway (``idle`` after its last use, which
    was at the latest now; a margin for clocks that differ between servers)."""
    session.merge(
        EndedSession(
            id=_session_key(sid),
            user_id=user_id,
            ended_at=now,
            expires_at=now + idle + timedelta(minutes=5),
        )
    )
    session.flush()


def session_ended(sid: str) -> sa.ColumnElement[bool]:
    """SQL: the session ``sid`` was logged out (to combine with the account's own checks)."""
    return sa.exists().where(EndedSession.id == _session_key(sid))


def set_password(
    session: Session, *, settings: Settings, user: User, password: str, now: datetime
) -> None:
    """A new password (policy-checked); other sessions of the account end."""
    passwords.check_policy(settings, password, username=user.username, field="new_password")
    user.password_hash = passwords.hash_password(settings, password)
    user.password_changed_at = now
    end_sessions(session, user=user)


def change_password(
    session: Session,
    *,
    settings: Settings,
    user: User,
    current: str,
    new: str,
    now: datetime,
) -> None:
    """The person changes their own password: the current one must be right."""
    ok, _ = passwords.verify(settings, current, user.password_hash)
    if not ok:
        raise InvalidInput([FieldError(("current_password",), "password_wrong")])
    set_password(session, settings=settings, user=user, password=new, now=now)


def set_preferences(session: Session, *, user: User, notify_via: NotifyVia, language: str) -> None:
    """How this person hears about their work: the channels and the language of messages
    (``casework.notices`` reads them when it addresses each message)."""
    user.notify_via = notify_via
    user.language = language
    session.add(user)


def disable(session: Session, *, user: User, now: datetime) -> int:
    """The account can no longer log in; its sessions end and its tokens are revoked."""
    user.is_active = False
    end_sessions(session, user=user)
    result = session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount or 0


class LoginOutcome(StrEnum):
    ok = "ok"
    bad_credentials = "bad_credentials"
    locked = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    user: User | None = None


def _throttle(session: Session, key: str) -> LoginThrottle | None:
    return session.exec(
        select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    ).first()


def _locked(row: LoginThrottle | None, now: datetime) -> bool:
    if row is None:
        return False
    return row.locked_until is not None and as_utc(row.locked_until) > now


def _fail(
    session: Session,
    row: LoginThrottle | None,
    key: str,
    *,
    limit: int,
    lockout: timedelta,
    now: datetime,
) -> LoginThrottle:
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
    if now - as_utc(row.window_started_at) > lockout:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + lockout
        row.failures, row.window_started_at = 0, now
    session.add(row)
    return row


def authenticate(
    session: Session,
    *,
    settings: Settings,
    username: str,
    password: str,
    ip: str | None,
    now: datetime,
) -> LoginResult:
    """Check a login against the account and the throttles (per account and per address).

    After ``login_max_failures`` failures for one username (whether it exists or not) or
    ``login_ip_max_failures`` from one address, further attempts are refused for
    ``login_lockout_minutes`` without even checking the password. The caller commits
    in every case: the failures are what the lockout counts.
    """
    username = username.strip().lower()
    lockout = timedelta(minutes=settings.login_lockout_minutes)
    user_key, ip_key = f"user:{username}"[:200], f"ip:{ip or 'unknown'}"[:200]
    by_user, by_ip = _throttle(session, user_key), _throttle(session, ip_key)
    if _locked(by_user, now) or _locked(by_ip, now):
        return LoginResult(LoginOutcome.locked)
    user = get_by_username(session, username=username)
    ok, new_hash = passwords.verify(
        settings, password, user.password_hash if user and user.is_active else None
    )
    if not ok or user is None:
        by_user = _fail(
            session, by_user, user_key, limit=settings.login_max_failures, lockout=lockout, now=now
        )
        by_ip = _fail(
            session, by_ip, ip_key, limit=settings.login_ip_max_failures, lockout=lockout, now=now
        )
        session.flush()
        locked = _locked(by_user, now) or _locked(by_ip, now)
        return LoginResult(LoginOutcome.locked if locked else LoginOutcome.bad_credentials)
    if by_user is not None:
        session.delete(by_user)
    if new_hash is not None:
        user.password_hash = new_hash
        session.add(user)
    session.flush()
    return LoginResult(LoginOutcome.ok, user)
