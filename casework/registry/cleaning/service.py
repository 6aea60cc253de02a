"""The cleaning loop's steps: start, household visit, police verification, update, closed.

Each step fires an event of ``data_cleaning.yaml`` on the loop (the engine decides where
it goes and which clocks it arms or meets) and records what the step found on the loop.
Services flush, never commit; the entry point commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from casework import text
from casework.actors import Actor
from casework.agencies.models import Agency, AgencyKind
from casework.authz.policy import FULL_CASE_ROLES
from casework.base import label
from casework.children import personal_id, rules
from casework.children.models import Caregiver, Child
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.registry import quality
from casework.registry.cleaning import clocks
from casework.registry.cleaning.models import CleaningLoop, CleaningState
from casework.registry.cleaning.policy import LoopView, loop_view
from casework.registry.cleaning.schemas import (
    ApplyUpdate,
    CleaningStart,
    Verification,
    VisitFindings,
)
from casework.registry.quality_models import ChildQuality


class LoopNotFound(NotFound):
    code = "cleaning_loop_not_found"


class StepNotYours(Conflict):
    """The loop is no longer at the step this person answers (someone answered it first)."""

    code = "cleaning_step_moved_on"


class RecordChanged(Conflict):
    """The child's record changed since the caseworker opened the page."""

    code = "cleaning_record_changed"


def _agency(
    session: Session, *, commune_id: int, kind: AgencyKind, village_id: int | None
) -> int | None:
    statement = select(Agency.id).where(
        Agency.commune_id == commune_id, Agency.kind == kind, Agency.is_active
    )
    if village_id is not None:
        statement = statement.where(Agency.village_id == village_id)
    return session.exec(statement.order_by(Agency.id)).first()


def _problems(session: Session, child: Child) -> list[str]:
    caregiver = session.exec(select(Caregiver.id).where(Caregiver.child_id == child.id)).first()
    found = quality.findings(
        full_name=child.full_name,
        birth_year=child.birth_year,
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        ethnicity=child.ethnicity,
        pid=child.personal_id,
        has_caregiver=caregiver is not None,
    )
    return [finding.problem.value for finding in found]


def _start_one(
    session: Session, actor: Actor, *, child: Child, now: datetime, tz: ZoneInfo
) -> CleaningLoop:
    loc = ("child_id",)
    village_agency = _agency(
        session, commune_id=child.commune_id, kind=AgencyKind.village, village_id=child.village_id
    )
    if child.village_id is None or village_agency is None:
        raise InvalidInput([FieldError(loc, "cleaning_no_village_board", {"child_id": child.id})])
    police = _agency(session, commune_id=child.commune_id, kind=AgencyKind.police, village_id=None)
    if police is None:
        raise InvalidInput([FieldError(loc, "cleaning_no_police")])
    definition = clocks.definition()
    loop = CleaningLoop(
        commune_id=child.commune_id,
        child_id=child.id,
        workflow_name=definition.name,
        workflow_version=definition.version,
        state=CleaningState(definition.initial),
        problems=_problems(session, child),
        village_agency_id=village_agency,
        police_agency_id=police,
        started_by_id=actor.user_id,
        started_at=now,
    )
    session.add(loop)
    session.flush()
    clocks.opened(session, loop=loop, now=now, tz=tz)
    return loop


def _open_loop_of(session: Session, child_id: int) -> CleaningLoop | None:
    return session.exec(
        select(CleaningLoop).where(
            CleaningLoop.child_id == child_id, CleaningLoop.state != CleaningState.closed
        )
    ).first()


def start(
    session: Session, actor: Actor, *, data: CleaningStart, now: datetime, tz: ZoneInfo
) -> list[CleaningLoop]:
    """Start a loop for one child, or for every child of a village whose record has
    problems and no open loop yet. A child with an open loop keeps it (one per child)."""
    if (data.child_id is None) == (data.village_id is None):
        raise InvalidInput([FieldError(("child_id",), "cleaning_child_or_village")])
    assert actor.commune_id is not None
    in_commune = quality.registered(Child.commune_id == actor.commune_id)
    if data.child_id is not None:
        child = session.exec(select(Child).where(in_commune, Child.id == data.child_id)).first()
        if child is None:
            raise InvalidInput([FieldError(("child_id",), "cleaning_child_unknown")])
        existing = _open_loop_of(session, child.id)
        return [existing or _start_one(session, actor, child=child, now=now, tz=tz)]
    has_open_loop = (
        sa.select(CleaningLoop.id)
        .where(CleaningLoop.child_id == Child.id, CleaningLoop.state != CleaningState.closed)
        .exists()
    )
    children = session.exec(
        select(Child)
        .join(ChildQuality, ChildQuality.child_id == Child.id)
        .where(in_commune, Child.village_id == data.village_id, quality.ANY_PROBLEM, ~has_open_loop)
        .order_by(Child.sort_key, Child.id)
    ).all()
    return [_start_one(session, actor, child=child, now=now, tz=tz) for child in children]


def visible(
    session: Session, actor: Actor, *, loop_id: int, lock: bool = False
) -> tuple[CleaningLoop, LoopView]:
    """The loop and how much of it the person sees; 404 when they see nothing of it."""
    statement = select(CleaningLoop).where(CleaningLoop.id == loop_id)
    if lock:
        statement = statement.with_for_update()
    loop = session.exec(statement).first()
    view = loop_view(actor, loop) if loop is not None else None
    if loop is None or view is None:
        raise LoopNotFound()
    return loop, view


def _require(view: LoopView, loop: CleaningLoop, state: CleaningState) -> None:
    if loop.state != state:
        raise StepNotYours(step=label(CleaningState(loop.state)))
    wanted = {CleaningState.visit: LoopView.visit, CleaningState.verify: LoopView.verify}
    if view != wanted.get(state, LoopView.full):
        raise StepNotYours(step=label(CleaningState(loop.state)))


def record_visit(
    session: Session,
    actor: Actor,
    *,
    loop: CleaningLoop,
    view: LoopView,
    data: VisitFindings,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Step 1: what the household's papers say; the loop goes to the commune police."""
    _require(view, loop, CleaningState.visit)
    loop.visited_by_id, loop.visited_at = actor.user_id, now
    loop.visit_personal_id = data.personal_id
    loop.visit_birth_certificate = data.birth_certificate
    loop.visit_date_of_birth = data.date_of_birth
    loop.visit_father, loop.visit_mother, loop.visit_note = data.father, data.mother, data.note
    clocks.fire(session, loop=loop, event="record_visit", now=now, tz=tz)


def id_errors(loc: tuple[str, ...], digits: str, *, sex: str, birth_year: int) -> list[FieldError]:
    """What ``personal_id.problems`` finds, as the intake's own messages for the field."""
    if not personal_id.is_well_formed(digits):
        return [FieldError(loc, "personal_id_format")]
    found = rules.personal_id_problems(
        {
            "personal_id": digits,
            "sex": sex,
            "date_of_birth": None,
            "birth_year_estimate": birth_year,
        },
        at=(),
    )
    return [FieldError(loc, error.code, error.params) for error in found]


def _taken(session: Session, digits: str, child_id: int) -> list[FieldError]:
    other = session.exec(
        select(Child.id).where(Child.personal_id == digits, Child.id != child_id)
    ).first()
    if other is None:
        return []
    return [FieldError(("personal_id",), "personal_id_other_child", {"child_id": other})]


def record_verification(
    session: Session,
    actor: Actor,
    *,
    loop: CleaningLoop,
    view: LoopView,
    data: Verification,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Step 2: the police's verified id, date of birth and sex, checked as at intake (12
    digits, a province's code, agreeing with the sex and birth year given, no other child's);
    the loop goes to the caseworker."""
    _require(view, loop, CleaningState.verify)
    errors = id_errors(
        ("personal_id",), data.personal_id, sex=data.sex, birth_year=data.date_of_birth.year
    ) + _taken(session, data.personal_id, loop.child_id)
    if errors:
        raise InvalidInput(errors)
    loop.verified_by_id, loop.verified_at = actor.user_id, now
    loop.verified_personal_id = data.personal_id
    loop.verified_date_of_birth, loop.verified_sex = data.date_of_birth, data.sex
    loop.verify_note = data.note
    clocks.fire(session, loop=loop, event="record_verification", now=now, tz=tz)


def apply_update(
    session: Session,
    actor: Actor,
    *,
    loop: CleaningLoop,
    view: LoopView,
    data: ApplyUpdate,
    now: datetime,
    tz: ZoneInfo,
) -> Child:
    """Step 3: the verified values go on the child's record (optimistic lock on the
    record's version, the intake's checks again), and the loop is closed."""
    _require(view, loop, CleaningState.update)
    assert actor.role in FULL_CASE_ROLES
    child = session.get_one(Child, loop.child_id)
    if child.version != data.child_version:
        raise RecordChanged(version=child.version)
    assert loop.verified_personal_id is not None
    assert loop.verified_date_of_birth is not None
    assert loop.verified_sex is not None
    born = loop.verified_date_of_birth
    errors = id_errors(
        ("personal_id",), loop.verified_personal_id, sex=loop.verified_sex, birth_year=born.year
    ) + _taken(session, loop.verified_personal_id, child.id)
    if errors:
        raise InvalidInput(errors)
    child.personal_id = loop.verified_personal_id
    child.date_of_birth, child.birth_year, child.sex = born, born.year, loop.verified_sex
    child.sort_key = child.sort_key or text.sort_key(child.full_name)
    child.updated_at = now
    try:
        session.flush()
    except StaleDataError as exc:
        raise RecordChanged(version=data.child_version) from exc
    loop.updated_by_id, loop.closed_at = actor.user_id, now
    clocks.fire(session, loop=loop, event="apply_update", now=now, tz=tz)
    return child


def held(session: Session, *, condition: sa.ColumnElement[bool]) -> Sequence[CleaningLoop]:
    """The open loops matching ``condition`` (a policy scope), oldest first."""
    return session.exec(
        select(CleaningLoop)
        .where(condition, CleaningLoop.state != CleaningState.closed)
        .order_by(CleaningLoop.started_at, CleaningLoop.id)
    ).all()
