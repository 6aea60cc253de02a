"""The demo commune: xã Châu Sơn (Lạng Sơn) with its agencies, people, children and cases.

Every case is opened through the real intake service and then lived through the real
workflow: each event is fired with ``flow.fire_event`` by the person who would fire it,
agencies accept, complete or decline their tasks through the task service, and at the end
the ladder steps already due fire as the ticker would have fired them. So the demo's
clocks, tasks, history and escalation queue are what the services make of such a past.
Every time is derived from ``now`` (the demo is always "fresh") and every variation comes
from a fixed random seed, so the same ``now`` always gives the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.accounts import passwords
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import ProtectionCase
from casework.children import service as child_service
from casework.children.models import Child
from casework.communes.models import Commune, Village
from casework.config import Settings
from casework.demo import data
from casework.demo.data import DEMO_USERS, ChildSpec
from casework.demo.walk import Demo, child_input, fire_due_timers, open_and_walk
from casework.registry.cleaning.demo import seed_cleaning
from casework.registry.demo import seed_register
from casework.registry.review import demo as review_demo
from casework.reports.demo import seed_population, seed_reports
from casework.timefmt import local_date

DEMO_COMMUNE_CODE = "CHAUSON-DEMO"  # not an NSO code: obviously a demo
DEMO_PROVINCE = "20"  # Lạng Sơn, the demo commune's province on the official list
# Every demo account logs in with this password. Demo only: never on real data.
DEMO_PASSWORD = "chauson-demo-2026"
DEMO_CASE_PREFIX = "CS"
RANDOM_SEED = 2026_0515
AK = AgencyKind


@dataclass(frozen=True)
class SeedResult:
    created: bool  # False when the demo commune already existed (nothing was changed)
    commune_code: str
    children: int
    cases: int
    users: int


def seed_demo(
    session: Session, *, now: datetime, tz: ZoneInfo, settings: Settings | None = None
) -> SeedResult:
    """Create the demo commune once; a second call changes nothing. Flushes, never commits.

    The demo accounts share ``DEMO_PASSWORD``, hashed once with the settings' argon2id cost.
    """
    existing = session.exec(select(Commune).where(Commune.code == DEMO_COMMUNE_CODE)).first()
    if existing is not None:
        _give_passwords(session, existing, settings)
        return _result(session, existing, created=False)
    commune = Commune(
        code=DEMO_COMMUNE_CODE,
        name="Xã Châu Sơn",
        province="Lạng Sơn",
        case_prefix=DEMO_CASE_PREFIX,
        created_at=now,
    )
    session.add(commune)
    session.flush()
    villages = {
        name: Village(commune_id=commune.id, name=name, name_key=text.fold(name))
        for name in data.VILLAGES
    }
    session.add_all(villages.values())
    session.flush()
    agencies = _agencies(session, commune, villages)
    password_hash = passwords.hash_password(settings or Settings(_env_file=None), DEMO_PASSWORD)
    users = _users(session, commune, agencies, now, password_hash)
    demo = Demo(session, commune, now, tz, random.Random(RANDOM_SEED), villages, agencies, users)
    children = {spec.key: _create_child(demo, spec) for spec in data.CHILDREN}
    for spec in sorted(data.CASES, key=lambda case: -case.hours_ago):
        open_and_walk(demo, spec, children)
    fire_due_timers(demo)
    seed_register(demo, children)
    days = (settings or Settings(_env_file=None)).review_days
    review_demo.seed_reviews(session, commune=commune, now=now, tz=tz, days=days)
    seed_population(session, commune_id=commune.id, year=local_date(now, tz).year, now=now)
    seed_cleaning(
        session,
        commune_id=commune.id,
        caseworker=users["canbo.hoa"],
        collaborator=users["ctv.nga"],
        now=now,
        tz=tz,
    )
    seed_reports(session, commune_id=commune.id, now=now, tz=tz)
    fire_due_timers(demo)  # the late reports' ladders, up to the supervisor's queue
    session.flush()
    return _result(session, commune, created=True)


def _give_passwords(session: Session, commune: Commune, settings: Settings | None) -> None:
    """A demo seeded before accounts had passwords: its people get the demo password."""
    users = session.exec(
        select(User).where(User.commune_id == commune.id, User.password_hash.is_(None))
    ).all()
    if users:
        hashed = passwords.hash_password(settings or Settings(_env_file=None), DEMO_PASSWORD)
        for user in users:
            user.password_hash = hashed
            session.add(user)
        session.flush()


def _result(session: Session, commune: Commune, *, created: bool) -> SeedResult:
    def count(commune_column: Any) -> int:
        statement = sa.select(sa.func.count()).where(commune_column == commune.id)
        return session.execute(statement).scalar_one()

    return SeedResult(
        created=created,
        commune_code=commune.code,
        children=count(Child.commune_id),
        cases=count(ProtectionCase.commune_id),
        users=count(User.commune_id),
    )


def _agencies(session: Session, commune: Commune, villages: dict[str, Village]) -> list[Agency]:
    agencies = [
        Agency(
            commune_id=commune.id,
            kind=kind,
            name=name,
            email=f"{local}.chauson@example.org" if local else None,
            phone=phone,
            village_id=villages[village].id if village else None,
        )
        for kind, name, local, phone, village in data.AGENCIES
    ]
    session.add_all(agencies)
    session.flush()
    return agencies


def _users(
    session: Session, commune: Commune, agencies: list[Agency], now: datetime, password_hash: str
) -> dict[str, User]:
    def agency_id(kind: AgencyKind | None) -> int | None:
        if kind is None:
            return None
        if kind == AK.school:
            return next(a.id for a in agencies if a.name == data.STAFF_SCHOOL)
        return next(a.id for a in agencies if a.kind == kind)

    users = {
        person.username: User(
            commune_id=None if person.role == Role.province_admin else commune.id,
            province_code=DEMO_PROVINCE if person.role == Role.province_admin else None,
            agency_id=agency_id(person.agency),
            username=person.username,
            full_name=person.full_name,
            role=person.role,
            email=f"{person.username}@example.org",
            phone=f"+84912000{101 + index}",
            created_at=now,
            password_hash=password_hash,
            password_changed_at=now,
        )
        for index, person in enumerate(DEMO_USERS)
    }
    session.add_all(users.values())
    session.flush()
    return users


def _create_child(demo: Demo, spec: ChildSpec) -> Child:
    """A child the commune listed months ago, during its regular review of children."""
    today = local_date(demo.now, demo.tz)
    details = child_input(demo, spec, on=today)
    born = details.date_of_birth or date(details.birth_year_estimate or today.year, 1, 1)
    listed = demo.now - timedelta(days=demo.rng.randint(210, 700), minutes=demo.rng.randint(0, 600))
    after_birth = datetime.combine(born + timedelta(days=7), time(9), demo.tz).astimezone(UTC)
    return child_service.create_child(
        demo.session,
        commune_id=demo.commune.id,
        data=details,
        village_id=demo.villages[spec.village].id,
        now=max(listed, after_birth),
    )
