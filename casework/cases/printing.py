"""The plan (Mẫu 04) and the chairperson's decision approving it (Mẫu 05), as the printed
forms lay them out: the commune, the child, the activities with agency, start, end and
cost, who drew the plan up and who approved it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from casework.cases.lookups import Person
from casework.cases.models import PLAN_ACTIVITY, TaskStatus
from casework.cases.schemas import CaseRead, EventRead, TaskRead
from casework.communes.models import Commune

_UNIT_WORDS = ("Xã ", "Phường ", "Đặc khu ")


@dataclass(frozen=True)
class PrintedPlan:
    case: CaseRead
    commune_name: str  # "Xã Châu Sơn"
    place: str  # "Châu Sơn": where a document is dated
    province: str
    activities: list[TaskRead]
    total_cost: int
    submitted: EventRead | None
    approved: EventRead | None  # the approval of the submission shown, if given
    drafted_by: Person | None
    approved_by: Person | None


def _last(case: CaseRead, event: str) -> EventRead | None:
    return next((e for e in reversed(case.events) if e.event == event), None)


def people_to_name(case: CaseRead) -> set[int]:
    """Whose names the printed plan shows: who submitted it and who approved it."""
    return {
        e.actor_id
        for e in case.events
        if e.event in ("submit_plan", "approve_plan") and e.actor_id is not None
    }


def plan_of(case: CaseRead, commune: Commune, people: Mapping[int, Person]) -> PrintedPlan:
    """The latest plan of the case: its activities (not the tasks routed at intake), the
    submission and, if it came after, the approval."""
    activities = [
        task
        for task in case.tasks
        if task.kind == PLAN_ACTIVITY and task.status != TaskStatus.cancelled
    ]
    submitted = _last(case, "submit_plan")
    approved = _last(case, "approve_plan")
    if approved is not None and submitted is not None and approved.at < submitted.at:
        approved = None
    place = commune.name
    for word in _UNIT_WORDS:
        place = place.removeprefix(word)
    return PrintedPlan(
        case=case,
        commune_name=commune.name,
        place=place,
        province=commune.province,
        activities=sorted(activities, key=lambda task: (task.starts_at, task.id)),
        total_cost=sum(task.cost_vnd or 0 for task in activities),
        submitted=submitted,
        approved=approved,
        drafted_by=people.get(submitted.actor_id or 0) if submitted else None,
        approved_by=people.get(approved.actor_id or 0) if approved else None,
    )
