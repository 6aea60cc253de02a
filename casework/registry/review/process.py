"""The village review as a process on the engine: what a fired step of its ladder does, and
how its escalation reads in the supervisor's queue.

The claim loop (``casework.deadlines.runner``) takes the review's due ladder steps like a
case's and hands them here: ``remind`` tells the village's reviewers (its board: head and
collaborator), ``overdue`` tells them and the commune's caseworkers, ``escalate`` puts the
review in the supervisor's queue (once while open) and tells the supervisors. Messages
name the month and the review's number, never a child nor the village (a village of a few
children can name them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import notices
from casework.accounts.models import Role, User
from casework.agencies.directory import Directory
from casework.agencies.models import Agency, AgencyKind
from casework.cases import workflow
from casework.communes.models import Village
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, DueStep, register
from casework.registry.review.models import VillageReview
from notifications.outbox import NewMessage, enqueue_many
from workflows.engine import Engine

NAME = "registry_review"
SUBJECT = "village_review"


@dataclass(frozen=True)
class LockedReview:
    id: int
    instance_id: int
    commune_id: int
    village_id: int
    month: str  # mm/yyyy


def _people(session: Session, review: LockedReview, roles: Iterable[str]) -> list[User]:
    """``assignee``: the village's board (its head, its collaborator); ``caseworker`` and
    ``supervisor``: the commune's; ``agency_head`` is the caseworker here (the review has
    no agency above the village but the commune's office)."""
    wanted = set(roles)
    who = []
    if "assignee" in wanted:
        board = select(Agency.id).where(
            Agency.kind == AgencyKind.village, Agency.village_id == review.village_id
        )
        who.append(User.agency_id.in_(board))
    if wanted & {"caseworker", "agency_head"}:
        who.append(User.role == Role.caseworker)
    if "supervisor" in wanted:
        who.append(User.role == Role.supervisor)
    if not who:
        return []
    return list(
        session.exec(
            select(User)
            .where(User.commune_id == review.commune_id, User.is_active, sa.or_(*who))
            .order_by(User.id)
        ).all()
    )


def messages(
    *,
    kind: str,
    people: Iterable[User],
    review: LockedReview,
    dedupe: str,
    due_at: datetime,
    tz: ZoneInfo,
) -> list[NewMessage]:
    """``kind`` about ``review`` for each person: its number, month and due time only."""
    context = {
        "review_id": review.id,
        "month": review.month,
        "due_at": due_at.astimezone(tz).isoformat(),
        "deadline_kind": "village_review",
    }
    return notices.messages_for(
        people,
        kind=kind,
        subject_ref=f"review:{review.id}",
        dedupe=dedupe,
        context=context,
        urgent=False,
    )


class ReviewProcess:
    """The handler of ``registry_review``: its subjects are village reviews."""

    name = NAME

    @property
    def version(self) -> int:
        return workflow.latest(self.name).version

    def engine(self, version: int) -> Engine:
        return workflow.engine_for(self.name, version)

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, LockedReview]:
        rows = session.exec(
            select(VillageReview, WorkflowInstance.closed_at)
            .join(WorkflowInstance, WorkflowInstance.id == VillageReview.instance_id)
            .where(VillageReview.instance_id.in_(sorted(instance_ids)))
            .order_by(VillageReview.id)
            .with_for_update(of=VillageReview)
        ).all()
        return {
            review.instance_id: LockedReview(
                review.id,
                review.instance_id,
                review.commune_id,
                review.village_id,
                f"{review.month:%m/%Y}",
            )
            for review, closed_at in rows
            if closed_at is None and review.instance_id is not None
        }

    def apply(
        self,
        session: Session,
        *,
        steps: Sequence[DueStep],
        subjects: Mapping[int, LockedReview],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        out: list[NewMessage] = []
        raised: list[escalation_service.NewEscalation] = []
        for due in steps:
            review, step = subjects[due.instance_id], due.step
            dedupe = f"deadline:{due.deadline_id}:{step.step}"
            if not due.superseded and step.notify:
                # The reviewers hear it in their words, the commune's people in theirs.
                reviewers = _people(
                    session, review, ("assignee",) if "assignee" in step.notify else ()
                )
                office = _people(session, review, [r for r in step.notify if r != "assignee"])
                for kind, people in ((f"review.{step.step}", reviewers), ("review.late", office)):
                    out += messages(
                        kind=kind,
                        people=people,
                        review=review,
                        dedupe=f"{dedupe}:{kind}",
                        due_at=due.due_at,
                        tz=tz,
                    )
            if step.escalate:
                raised.append(
                    escalation_service.NewEscalation(
                        case=None,
                        reason=EscalationReason.deadline_overdue,
                        deadline_id=due.deadline_id,
                        instance_id=due.instance_id,
                    )
                )
                out += messages(
                    kind="review.escalated",
                    people=_people(session, review, ("supervisor",)),
                    review=review,
                    dedupe=dedupe,
                    due_at=due.due_at,
                    tz=tz,
                )
        if raised:
            communes = {subjects[s.instance_id].commune_id for s in steps}
            directory = Directory.load(session, commune_ids=communes)
            escalation_service.raise_many(
                session, items=raised, directory=directory, now=now, tz=tz
            )
        enqueue_many(session, out, now=now)

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> Mapping[int, Described]:
        rows = session.exec(
            select(VillageReview.instance_id, VillageReview.id, VillageReview.month, Village.name)
            .join(Village, Village.id == VillageReview.village_id)
            .where(VillageReview.instance_id.in_(sorted(instance_ids)))
        ).all()
        return {
            instance_id: Described(
                "Rà soát danh sách trẻ em của thôn",
                f"{village} — tháng {month:%m/%Y}",
                f"/ra-soat/{review_id}",
            )
            for instance_id, review_id, month, village in rows
        }


register(ReviewProcess())
