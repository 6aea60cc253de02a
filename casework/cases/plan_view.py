"""The plan awaiting the chairperson's decision, as the approval page shows it above the
buttons: its activities (agency, start, expected end, cost and the total), the detailed
assessment it was drawn from (Mẫu 03) and the case conference's minutes. Read-only, so
nobody approves a plan they have not seen.

Like ``lookups``: takes a session, never commits, returns plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.agencies.models import Agency
from casework.base import Lang
from casework.cases.events import DetailedAssessment
from casework.cases.models import PLAN_ACTIVITY, CaseEvent, Task, TaskStatus
from casework.timefmt import as_utc


@dataclass(frozen=True)
class Activity:
    title: str
    agency: str
    starts_at: datetime
    due_at: datetime
    cost_vnd: int | None


@dataclass(frozen=True)
class PlanView:
    activities: list[Activity]
    total_cost: int
    findings: list[tuple[str, str]]  # Mẫu 03: (item, what the caseworker found)
    conference_minutes: str | None
    submitted_at: datetime | None


def assessment_items(assessment: object, lang: Lang) -> list[tuple[str, str]]:
    """The items of a detailed assessment (Mẫu 03) that say something, labelled a)–h)."""
    if not isinstance(assessment, dict):
        return []
    found = []
    for name, info in DetailedAssessment.model_fields.items():
        if assessment.get(name):
            vi, _, en = (info.description or name).partition(" / ")
            found.append((en if lang == "en" else vi, str(assessment[name])))
    return found


def awaiting_approval(session: Session, *, case_id: int, lang: Lang) -> PlanView | None:
    """The plan sent for approval (its activities not yet with the agencies), or None when
    the case has no such plan."""
    rows = session.execute(
        sa.select(Task.title, Agency.name, Task.starts_at, Task.due_at, Task.cost_vnd)
        .join(Agency, Agency.id == Task.agency_id)
        .where(
            Task.case_id == case_id,
            Task.status == TaskStatus.planned,
            Task.kind == PLAN_ACTIVITY,
        )
        .order_by(Task.starts_at, Task.id)
    ).all()
    if not rows:
        return None
    activities = [
        Activity(title, agency, as_utc(starts_at), as_utc(due_at), cost)
        for title, agency, starts_at, due_at, cost in rows
    ]
    submitted = session.exec(
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.event == "submit_plan")
        .order_by(CaseEvent.id.desc())  # type: ignore[union-attr]
        .limit(1)
    ).first()
    payload = submitted.payload if submitted else {}
    minutes = payload.get("conference_minutes")
    return PlanView(
        activities=activities,
        total_cost=sum(activity.cost_vnd or 0 for activity in activities),
        findings=assessment_items(payload.get("assessment"), lang),
        conference_minutes=str(minutes) if minutes else None,
        submitted_at=as_utc(submitted.at) if submitted else None,
    )
