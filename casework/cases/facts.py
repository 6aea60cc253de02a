"""What the engine may know about a case before an event, read in one statement.

The facts come from the case row (already locked and loaded), its reports with their forms
of harm, the child, and the count of planned tasks: one SELECT joining them, instead of one
query per fact, because it runs on every event and every page that lists allowed events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.actors import Actor
from casework.cases import workflow
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.cases.service import CAREGIVING_PERPETRATORS
from casework.children.models import Child
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.intake.models import Report, ReportHarmForm
from casework.tasks.service import ChildPlace

_R = Report.__table__
_F = ReportHarmForm.__table__
_C = Child.__table__
_T = Task.__table__
_D = CaseDeadline.__table__

_PLANNED = (
    sa.select(sa.func.count())
    .where(_T.c.case_id == _R.c.case_id, _T.c.status == TaskStatus.planned)
    .scalar_subquery()
)
# Whether the 12-hour emergency-protection clock runs: a later report can start it after
# the case has left the emergency step, and the measures must still be recordable there.
_EMERGENCY_DUE = (
    sa.select(sa.func.count())
    .where(
        _D.c.case_id == _R.c.case_id,
        _D.c.task_id.is_(None),
        _D.c.kind == "emergency_measures",
        _D.c.status == DeadlineStatus.running,
    )
    .scalar_subquery()
)
_FACTS = (
    sa.select(
        _R.c.id,
        _R.c.first_received_at,
        _R.c.setting,
        _R.c.perpetrator_relation,
        _F.c.form,
        _C.c.school_name,
        _C.c.birth_year,
        _C.c.date_of_birth,
        _C.c.village_id,
        _PLANNED,
        _EMERGENCY_DUE,
    )
    .select_from(
        _R.join(_C, _C.c.id == sa.bindparam("child_id")).outerjoin(_F, _F.c.report_id == _R.c.id)
    )
    .where(_R.c.case_id == sa.bindparam("case_id"))
)


@dataclass(frozen=True)
class CaseFacts:
    harm_facts: frozenset[str]
    settings: frozenset[str]
    perpetrator_caregiving: bool
    first_received_at: datetime
    school_name: str | None
    birth_year: int
    date_of_birth: date | None
    planned_tasks: int
    emergency_measures_due: bool
    place: ChildPlace
    # Per report: the harm facts it gave and its setting (a later report routes only what
    # is new).
    reports: Mapping[int, tuple[frozenset[str], str]]

    def as_reported_in(self, report_id: int) -> CaseFacts:
        """The facts as routing a later report sees them: only the forms of harm it is the
        first to name, in its own setting."""
        earlier = {f for rid, (facts, _) in self.reports.items() if rid != report_id for f in facts}
        facts, setting = self.reports[report_id]
        return replace(self, harm_facts=facts - earlier, settings=frozenset({setting}))


def read(session: Session, *, case: ProtectionCase) -> CaseFacts:
    """The reports' and the child's facts about ``case``, and its first receipt (where
    the legal clocks start: the earliest receipt in the chain)."""
    rows = (
        session.connection().execute(_FACTS, {"case_id": case.id, "child_id": case.child_id}).all()
    )
    if not rows:
        raise LookupError(f"case {case.code} has no report")
    first = rows[0]
    reports: dict[int, tuple[frozenset[str], str]] = {}
    for r in rows:
        given = {workflow.harm_fact(r.form, r.setting)} if r.form is not None else set()
        reports[r.id] = (reports.get(r.id, (frozenset(), ""))[0] | given, r.setting)
    return CaseFacts(
        harm_facts=frozenset().union(*(facts for facts, _ in reports.values())),
        settings=frozenset(r.setting for r in rows),
        perpetrator_caregiving=any(r.perpetrator_relation in CAREGIVING_PERPETRATORS for r in rows),
        first_received_at=min(r.first_received_at for r in rows),
        school_name=first.school_name,
        birth_year=first.birth_year,
        date_of_birth=first.date_of_birth,
        planned_tasks=first[9],
        emergency_measures_due=first[10] > 0,
        place=ChildPlace(school_name=first.school_name, village_id=first.village_id),
        reports=reports,
    )


def separation_active(case: ProtectionCase) -> bool:
    return case.separation_started_at is not None and case.separation_ended_at is None


def alternative_care_active(case: ProtectionCase) -> bool:
    return case.alternative_care_started_at is not None and case.alternative_care_ended_at is None


class _Changed:
    """The case as an event's form will leave it (read-only): the engine decides on that."""

    def __init__(self, case: ProtectionCase, changes: Mapping[str, Any]) -> None:
        self._case = case
        self._changes = changes

    def __getattr__(self, name: str) -> Any:
        if name in self._changes:
            return self._changes[name]
        return getattr(self._case, name)


def for_engine(
    case: ProtectionCase,
    known: CaseFacts,
    *,
    actor: Actor,
    today: date,
    changes: Mapping[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The facts the guards and the definition's conditions read, after ``changes``."""
    if changes:
        case = _Changed(case, changes)  # type: ignore[assignment]
    return workflow.case_facts(
        state=case.status,
        is_emergency=case.is_emergency,
        substantiated=case.substantiated,
        harm_facts=known.harm_facts,
        settings=known.settings,
        perpetrator_caregiving=known.perpetrator_caregiving,
        school_name=known.school_name,
        birth_year=known.birth_year,
        date_of_birth=known.date_of_birth,
        today=today,
        separation_active=separation_active(case),
        alternative_care_active=alternative_care_active(case),
        review_stable=case.review_stable,
        plan_task_count=known.planned_tasks,
        emergency_measures_due=known.emergency_measures_due,
        actor_role=actor.role,
        extra=extra,
    )
