"""Administration from the web: the same account services as ``casework user …``, scoped to
the administrator's commune, and the agencies' contact e-mail and phone.

An administrator manages people and agencies, never case content: nothing here reads a
case, a child or a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts import activation
from casework.accounts import service as account_service
from casework.accounts.models import ApiToken, User
from casework.actors import Actor
from casework.admin.schemas import AgencyContact, UserCreate
from casework.agencies.models import Agency
from casework.communes.models import Commune
from casework.config import Settings
from casework.errors import Conflict
from casework.pagination import Page, PageParams, count, page_of
from casework.timefmt import as_utc


class CannotDisableSelf(Conflict):
    code = "cannot_disable_self"


class AccountDisabled(Conflict):
    code = "account_disabled_no_link"


@dataclass(frozen=True)
class Person:
    user: User
    agency_name: str | None
    active_tokens: int

    @property
    def password_changed_at(self) -> datetime | None:
        changed = self.user.password_changed_at
        return as_utc(changed) if changed else None


def people(session: Session, admin: Actor, *, params: PageParams) -> Page[Person]:
    """The commune's accounts, active ones first, by username."""
    tokens = (
        sa.select(sa.func.count(ApiToken.id))
        .where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )
    statement = (
        sa.select(User, Agency.name, tokens)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .where(User.commune_id == admin.commune_id)
    )
    total = count(session, statement)
    rows = session.execute(
        statement.order_by(User.is_active.desc(), User.username)
        .offset(params.offset)
        .limit(params.page_size)
    ).all()
    return page_of([Person(*row) for row in rows], total=total, params=params)


def person(session: Session, *, user_id: int) -> Person:
    user = session.get_one(User, user_id)
    agency = session.get(Agency, user.agency_id) if user.agency_id else None
    tokens = session.execute(
        sa.select(sa.func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    ).scalar_one()
    return Person(user, agency.name if agency else None, tokens)


def create_user(
    session: Session, admin: Actor, *, data: UserCreate, settings: Settings, now: datetime
) -> User:
    """A new account in the administrator's own commune, without a password: its person
    gets an activation link by e-mail or SMS and sets their own (``activation``)."""
    commune_code = session.exec(select(Commune.code).where(Commune.id == admin.commune_id)).one()
    user = account_service.create_user(
        session,
        settings=settings,
        commune_code=commune_code,
        username=data.username,
        full_name=data.full_name,
        role=data.role,
        password=None,
        now=now,
        agency_id=data.agency_id,
        email=data.email,
        phone=data.phone,
    )
    activation.issue(session, user=user, settings=settings, now=now, by=admin.user_id)
    return user


def send_password_link(
    session: Session, admin: Actor, *, user_id: int, settings: Settings, now: datetime
) -> str:
    """A one-time link to set a password: a new activation link for an account not yet
    activated (the first expired or went astray), else a reset link for a forgotten
    password; older links stop working. Returns the message kind sent."""
    user = session.get_one(User, user_id)
    if not user.is_active:
        raise AccountDisabled()
    kind = activation.KIND if user.password_hash is None else activation.RESET
    activation.issue(session, user=user, settings=settings, now=now, by=admin.user_id, kind=kind)
    return kind


def disable(session: Session, admin: Actor, *, user_id: int, now: datetime) -> int:
    """The account can no longer log in, its sessions end and its tokens are revoked; an
    administrator cannot lock themselves out. Returns how many tokens were revoked."""
    if user_id == admin.user_id:
        raise CannotDisableSelf()
    return account_service.disable(session, user=session.get_one(User, user_id), now=now)


def reset_password(
    session: Session, *, user_id: int, password: str, settings: Settings, now: datetime
) -> None:
    """A new password for someone who forgot theirs; their sessions end."""
    user = session.get_one(User, user_id)
    account_service.set_password(session, settings=settings, user=user, password=password, now=now)


def set_person_contact(session: Session, *, user_id: int, contact: AgencyContact) -> User:
    """A person's e-mail and phone: where their messages and password links go (a link
    sent to a mistyped address is resent after the address is put right)."""
    user = session.get_one(User, user_id)
    user.email, user.phone = contact.email, contact.phone
    session.add(user)
    session.flush()
    return user


def set_contact(session: Session, *, agency_id: int, contact: AgencyContact) -> Agency:
    """The agency's e-mail and phone, where its tasks and reminders are sent."""
    agency = session.get_one(Agency, agency_id)
    agency.email, agency.phone = contact.email, contact.phone
    session.add(agency)
    session.flush()
    return agency
