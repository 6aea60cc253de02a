"""The plan (Mẫu 04) and the chairperson's decision approving it (Mẫu 05), as the printed
forms lay them out: the commune and its province, the child, the detailed assessment
(Mẫu 03) the plan was drawn up from, the activities with agency, start, end and cost, who
drew the plan up and who approved it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from casework.base import Lang
from casework.cases.events import DetailedAssessment
from casework.cases.lookups import Person
from casework.cases.models import PLAN_ACTIVITY, TaskStatus
from casework.cases.schemas import CaseRead, EventRead, TaskRead
from casework.communes.models import Commune

_UNIT_WORDS = ("Xã ", "Phường ", "Đặc khu ")
# The centrally-run cities (from 1 July 2025); every other province is a "tỉnh".
_CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})


@dataclass(frozen=True)
class PrintedPlan:
    case: CaseRead
    commune_name: str  # "Xã Châu Sơn"
    place: str  # "Châu Sơn": where a document is dated
    province: str
    province_unit: str  # "tỉnh Lạng Sơn", "thành phố Hà Nội": as a document names it
    activities: list[TaskRead]
    total_cost: int
    submitted: EventRead | None
    approved: EventRead | None  # the approval of the submission shown, if given
    drafted_by: Person | None
    approved_by: Person | None
    findings: list[tuple[str, str]]  # Mẫu 03, item by item: ("a) Tình trạng …", words)


def _last(case: CaseRead, event: str) -> EventRead | None:
    return next((e for e in reversed(case.events) if e.event == event), None)


def province_unit(province: str) -> str:
    """The province with its unit, as written inside a sentence: "tỉnh Lạng Sơn"."""
    if province.lower().startswith(("tỉnh ", "thành phố ")):
        return province[:1].lower() + province[1:]
    return f"{'thành phố' if province in _CITIES else 'tỉnh'} {province}"


def findings(case: CaseRead, submitted: EventRead | None, lang: Lang) -> list[tuple[str, str]]:
    """The detailed assessment (Mẫu 03) recorded with the plan shown, or with the latest
    plan before it that had one (a plan sent back is often reworked without it)."""
    recorded = [
        e.payload["assessment"]
        for e in case.events
        if e.event == "submit_plan"
        and isinstance(e.payload.get("assessment"), dict)
        and (submitted is None or e.at <= submitted.at)
    ]
    if not recorded:
        return []
    found = []
    for name, info in DetailedAssessment.model_fields.items():
        if recorded[-1].get(name):
            vi, _, en = (info.description or name).partition(" / ")
            found.append((en if lang == "en" else vi, str(recorded[-1][name])))
    return found


def people_to_name(case: CaseRead) -> set[int]:
    """Whose names the printed plan shows: who submitted it and who approved it."""
    return {
        e.actor_id
        for e in case.events
        if e.event in ("submit_plan", "approve_plan") and e.actor_id is not None
    }


def plan_of(
    case: CaseRead, commune: Commune, people: Mapping[int, Person], lang: Lang = "vi"
) -> PrintedPlan:
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
        province_unit=province_unit(commune.province),
        activities=sorted(activities, key=lambda task: (task.starts_at, task.id)),
        total_cost=sum(task.cost_vnd or 0 for task in activities),
        submitted=submitted,
        approved=approved,
        drafted_by=people.get(submitted.actor_id or 0) if submitted else None,
        approved_by=people.get(approved.actor_id or 0) if approved else None,
        findings=findings(case, submitted, lang),
    )
