"""The demo commune: xã Châu Sơn (Lạng Sơn) with its agencies, people, children and cases.

Every case is opened through the real intake service and then walked along the workflow
with its history, so the demo is coherent with what users will later do by hand. Every
time is derived from ``now`` (the demo is always "fresh") and every variation comes from
a fixed random seed, so the same ``now`` always gives the same demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.cases import service as case_service
from casework.cases.models import (
    CaseStatus,
    ProtectionCase,
    ProtectionLevel,
    RiskLevel,
    Task,
    TaskStatus,
)
from casework.children import service as child_service
from casework.children.models import Child, Sex
from casework.children.schemas import CaregiverIn, ChildCreate, CircumstanceIn
from casework.communes.models import Commune, Village
from casework.demo import data
from casework.demo.data import DEMO_USERS, CaseSpec, ChildSpec, DemoUser
from casework.intake import service as intake_service
from casework.intake.models import Channel
from casework.intake.schemas import IntakeCreate, ReporterIn
from casework.timefmt import local_date

DEMO_COMMUNE_CODE = "CHAUSON-DEMO"  # not an NSO code: obviously a demo
DEMO_CASE_PREFIX = "CS"
RANDOM_SEED = 2026_0515
AK = AgencyKind

__all__ = ["DEMO_COMMUNE_CODE", "DEMO_USERS", "DemoUser", "SeedResult", "seed_demo"]

S = CaseStatus
WORKFLOW_ORDER = tuple(CaseStatus)  # the enum lists the states in the order a case takes them
EVENTS = {S.assessing: "start_assessment", S.awaiting_approval: "submit_plan",
          S.intervention: "approve_plan", S.monitoring: "start_monitoring",
          S.review: "start_review", S.closed: "close"}  # fmt: skip
# Typical hours between one step and the next; emergencies move within the 12-hour clock.
STEP_HOURS = {"start_assessment": 1.5, "complete_assessment": 20, "record_emergency_measures": 6,
              "submit_plan": 72, "approve_plan": 30, "start_monitoring": 21 * 24,
              "start_review": 45 * 24, "close": 7 * 24}  # fmt: skip
EMERGENCY_STEP_HOURS = {"start_assessment": 0.5, "complete_assessment": 2.5}
# Minutes between the first receipt (e.g. the 111 call) and the commune recording it.
FORWARDING_MINUTES = {Channel.hotline_111: (25, 50), Channel.provincial_hotline: (25, 50)}
SUPERVISOR_EVENTS = frozenset({"approve_plan", "close"})
EMERGENCY_DEADLINE = timedelta(hours=12)


@dataclass(frozen=True)
class SeedResult:
    created: bool  # False when the demo commune already existed (nothing was changed)
    commune_code: str
    children: int
    cases: int
    users: int


@dataclass
class _Demo:
    session: Session
    commune: Commune
    now: datetime
    tz: ZoneInfo
    rng: random.Random
    villages: dict[str, Village]
    agencies: list[Agency]
    users: dict[str, User]


def seed_demo(session: Session, *, now: datetime, tz: ZoneInfo) -> SeedResult:
    """Create the demo commune once; a second call changes nothing. Flushes, never commits."""
    existing = session.exec(select(Commune).where(Commune.code == DEMO_COMMUNE_CODE)).first()
    if existing is not None:
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
    users = _users(session, commune, agencies, now)
    demo = _Demo(session, commune, now, tz, random.Random(RANDOM_SEED), villages, agencies, users)
    children = {spec.key: _create_child(demo, spec) for spec in data.CHILDREN}
    for spec in sorted(data.CASES, key=lambda case: -case.hours_ago):
        _open_and_advance(demo, spec, children)
    session.flush()
    return _result(session, commune, created=True)


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
    session: Session, commune: Commune, agencies: list[Agency], now: datetime
) -> dict[str, User]:
    def agency_id(kind: AgencyKind | None) -> int | None:
        if kind is None:
            return None
        if kind == AK.school:
            return next(a.id for a in agencies if a.name == data.STAFF_SCHOOL)
        return next(a.id for a in agencies if a.kind == kind)

    users = {
        person.username: User(
            commune_id=commune.id,
            agency_id=agency_id(person.agency),
            username=person.username,
            full_name=person.full_name,
            role=person.role,
            email=f"{person.username}@example.org",
            phone=f"+84912000{101 + index}",
            created_at=now,
        )
        for index, person in enumerate(DEMO_USERS)
    }
    session.add_all(users.values())
    session.flush()
    return users


def _whole_minutes(delta: timedelta) -> timedelta:
    return timedelta(minutes=max(1, round(delta / timedelta(minutes=1))))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _school(age: int) -> tuple[str | None, str | None]:
    if age < 3:
        return None, None
    if age < 6:
        return data.KINDERGARTEN, "Mẫu giáo"
    school = (
        data.PRIMARY if age <= 10 else data.LOWER_SECONDARY if age <= 14 else data.UPPER_SECONDARY
    )
    return school, str(age - 5)


def _personal_id(demo: _Demo, *, sex: Sex, year: int) -> str:
    """PPPGYYSSSSSS: Lạng Sơn's code 020, century-and-sex digit, year, a random serial."""
    century_sex = 2 * ((year - 1900) // 100) + (1 if sex == Sex.female else 0)
    return f"020{century_sex}{year % 100:02d}{demo.rng.randrange(1, 10**6):06d}"


def _child_input(
    demo: _Demo, spec: ChildSpec, *, on: date, same_year_as: Child | None = None
) -> ChildCreate:
    """The details of a child ``spec.age`` years old on ``on``, as an intake form holds them."""
    if spec.age == 0 and not spec.dob:
        born = on - timedelta(days=2)  # a foundling a few days old
    else:
        born = _years_before(on, spec.age) - timedelta(days=demo.rng.randint(1, 330))
    year = same_year_as.birth_year if same_year_as is not None else born.year
    school, grade = _school(spec.age) if spec.in_school else (None, None)
    return ChildCreate(
        full_name=spec.full_name,
        personal_id=_personal_id(demo, sex=spec.sex, year=year) if spec.pid else None,
        date_of_birth=born if spec.dob else None,
        birth_year_estimate=None if spec.dob else year,
        sex=spec.sex,
        ethnicity=spec.ethnicity,
        village=spec.village,
        school_name=school,
        grade=grade,
        disability_level=spec.disability,
        poverty_status=spec.poverty,
        caregivers=[
            CaregiverIn(full_name=name, relation=relation, phone=phone)
            for name, relation, phone in spec.carers
        ],
        circumstances=[
            CircumstanceIn(group=group, subgroup=sub, since=max(on - timedelta(days=days), born))
            for group, sub, days in spec.groups
        ],
    )


def _create_child(demo: _Demo, spec: ChildSpec) -> Child:
    """A child the commune listed months ago, during its regular review of children."""
    today = local_date(demo.now, demo.tz)
    details = _child_input(demo, spec, on=today)
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


def _reporter(reporter: tuple[str, str | None, str] | None) -> ReporterIn:
    if reporter is None:
        return ReporterIn(anonymous=True)
    name, phone, relation = reporter
    return ReporterIn(name=name, phone=phone, relation=relation)


def _open_and_advance(demo: _Demo, spec: CaseSpec, children: dict[str, Child]) -> None:
    """Record the report through the intake service, then walk the case to its status."""
    received = demo.now - timedelta(hours=spec.hours_ago)
    caseworker = demo.users[spec.caseworker]
    if isinstance(spec.child, ChildSpec):
        same = children.get(spec.child.likely_same_as or "")
        on = local_date(received, demo.tz)
        child = {"child": _child_input(demo, spec.child, on=on, same_year_as=same)}
    else:
        child = {"child_id": children[spec.child].id}
    recorded = _recorded(demo, spec.channel, received)
    code = _record(demo, spec, received=received, recorded=recorded, by=caseworker, **child)
    case = case_service.get_by_code(demo.session, code=code)
    later: list[tuple[datetime, Callable[[], object]]] = []
    if spec.follow_up is not None:  # a second report about the child joins the open case
        hours, channel, reporter, description = spec.follow_up
        at = received + timedelta(hours=hours)
        again = _recorded(demo, channel, at)
        later.append((again, partial(
            _record, demo, spec, received=at, recorded=again, by=caseworker, channel=channel,
            reporter=_reporter(reporter), description=description, child_state=None,
            child_id=case.child_id,
        )))  # fmt: skip
    times = _advance(demo, spec, case=case, recorded=recorded, caseworker=caseworker, later=later)
    _add_tasks(demo, spec, case=case, received=received, times=times)
    case.updated_at = max([recorded, *times.values(), *(at for at, _ in later)])
    demo.session.add(case)
    demo.session.flush()


def _recorded(demo: _Demo, channel: Channel, received: datetime) -> datetime:
    """When the commune records a report first received (e.g. by 111) at ``received``."""
    low, high = FORWARDING_MINUTES.get(channel, (5, 20))
    return received + timedelta(minutes=demo.rng.randint(low, high))


def _record(
    demo: _Demo, spec: CaseSpec, *, received: datetime, recorded: datetime, by: User, **fields: Any
) -> str:
    """One report through the real intake service; returns the case code."""
    fields = {
        "commune_code": demo.commune.code, "channel": spec.channel,
        "first_received_at": received, "reporter": _reporter(spec.reporter),
        "location": spec.location, "description": spec.description,
        "harm_forms": list(spec.harm), "setting": spec.setting,
        "perpetrator_relation": spec.perpetrator, "child_state": spec.child_state,
        "immediate_danger": spec.danger,
    } | fields  # fmt: skip
    result = intake_service.record_intake(
        demo.session, data=IntakeCreate(**fields), now=recorded, tz=demo.tz, recorded_by_id=by.id
    )
    return result.case_code


def _path(target: CaseStatus, emergency: bool) -> list[tuple[CaseStatus, CaseStatus]]:
    chain = [s for s in WORKFLOW_ORDER if emergency or s != S.emergency]
    chain = chain[: chain.index(target) + 1]
    return list(zip(chain, chain[1:], strict=False))


def _event(source: CaseStatus, dest: CaseStatus) -> str:
    if source == S.emergency:
        return "record_emergency_measures"
    return "complete_assessment" if source == S.assessing else EVENTS[dest]


def _advance(
    demo: _Demo, spec: CaseSpec, *, case: ProtectionCase, recorded: datetime, caseworker: User,
    later: list[tuple[datetime, Callable[[], object]]],
) -> dict[str, datetime]:  # fmt: skip
    """Move the case step by step to ``spec.status``; returns when each event happened.

    ``later`` holds further reports, recorded in time order among the steps.
    """
    pending = sorted(later, key=lambda item: item[0])
    assert case.is_emergency or spec.status != S.emergency, spec.description
    steps = _path(spec.status, case.is_emergency)
    hours = {**STEP_HOURS, **(EMERGENCY_STEP_HOURS if case.is_emergency else {})}
    gaps = [hours[_event(*step)] * demo.rng.uniform(0.8, 1.2) for step in steps]
    budget = (demo.now - timedelta(minutes=30) - recorded) / timedelta(hours=1)
    scale = min(1.0, budget / sum(gaps)) if gaps else 1.0
    risk = spec.risk or (RiskLevel.high if case.is_emergency else RiskLevel.medium)
    level = ProtectionLevel.support if spec.support_only else ProtectionLevel.intervention
    times: dict[str, datetime] = {}
    at = recorded
    for (source, dest), gap in zip(steps, gaps, strict=True):
        at += _whole_minutes(timedelta(hours=gap * scale))
        while pending and pending[0][0] <= at:
            pending.pop(0)[1]()
        event = _event(source, dest)
        payload: dict[str, object] = {}
        if event == "start_assessment":
            case.assigned_caseworker_id = caseworker.id
            payload = {"assigned_caseworker_id": caseworker.id}
        elif event == "complete_assessment":
            case.risk_level, case.protection_level = risk, level
            payload = {"risk_level": risk.value, "protection_level": level.value}
        elif event == "close":
            case.closed_at, case.closure_reason = at, spec.closure
            payload = {"closure_reason": spec.closure}
        actor = demo.users[data.SUPERVISOR] if event in SUPERVISOR_EVENTS else caseworker
        case_service.record_event(
            demo.session, case=case, event=event, now=at, actor_id=actor.id,
            from_status=source, to_status=dest, payload=payload,
        )  # fmt: skip
        case.status = dest
        times[event] = at
    for _, record in pending:
        record()
    return times


def _agency_for(demo: _Demo, kind: str, child: Child) -> Agency:
    agency_kind = data.TASK_AGENCY[kind.split(".")[0]]
    for agency in demo.agencies:
        if agency.kind != agency_kind:
            continue
        if agency_kind == AK.village and agency.village_id != child.village_id:
            continue
        if agency_kind == AK.school and agency.name != (child.school_name or data.STAFF_SCHOOL):
            continue
        return agency
    raise LookupError(f"no agency for {kind} in the demo")


def _assignee(demo: _Demo, agency: Agency, caseworker_id: int | None) -> int | None:
    if agency.kind == AK.culture_social:
        return caseworker_id
    officers = [u for u in demo.users.values() if u.agency_id == agency.id]
    return next((u.id for u in officers if u.role == Role.agency_officer), None)


def _add_tasks(
    demo: _Demo, spec: CaseSpec, *, case: ProtectionCase, received: datetime,
    times: dict[str, datetime],
) -> None:  # fmt: skip
    """The tasks routed to agencies: emergency measures first, then the plan's tasks."""
    child = demo.session.get_one(Child, case.child_id)
    for task in spec.tasks:
        # Emergency measures, and what cannot wait for a plan (a foundling's birth
        # registration), start at the assessment; the plan's tasks once it is approved.
        if task.emergency or "submit_plan" not in times:
            created = starts = times["complete_assessment"]
        elif "approve_plan" in times:
            created = starts = times["approve_plan"]
        else:  # drafted in the plan that awaits the chairperson's approval
            created, starts = times["submit_plan"], demo.now + timedelta(days=1)
        due = (
            received + EMERGENCY_DEADLINE if task.emergency else starts + timedelta(days=task.days)
        )
        agency = _agency_for(demo, task.kind, child)
        answered, done = task.status != TaskStatus.open, task.status == TaskStatus.done
        assignee = _assignee(demo, agency, case.assigned_caseworker_id) if answered else None
        window = max(min(due, demo.now) - starts, timedelta(0))
        demo.session.add(
            Task(
                case_id=case.id,
                agency_id=agency.id,
                assignee_id=assignee,
                kind=task.kind,
                title=data.TASK_TITLES[task.kind],
                starts_at=starts,
                due_at=due,
                status=task.status,
                acknowledged_at=starts + _whole_minutes(window * 0.1) if answered else None,
                done_at=starts + _whole_minutes(window * 0.6) if done else None,
                outcome_note=task.note,
                created_at=created,
            )
        )
