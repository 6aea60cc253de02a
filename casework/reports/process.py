"""Reports owed as processes on the engine: what a fired step of their ladder does, and how
a late one reads in the supervisor's queue.

The one claim loop (``casework.deadlines.runner``) hands the due steps of ``agency_report``,
``commune_report`` and ``adhoc_report`` here. ``remind``, ``warn`` and ``overdue`` tell the
people the ladder names (``assignee``: the agency's officers and head for an agency's
report, the commune's caseworkers for the commune's, its supervisors for an ad-hoc one;
``agency_head``: that agency's head, or the supervisor for the commune's own), and
``escalate`` puts the report in the supervisor's queue, which tells the supervisors. The
messages carry the report's number, title and due time: never a child.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.accounts.models import Role
from casework.agencies.directory import Directory, Person
from casework.cases import workflow
from casework.processes.generic import DefinedProcess, Message
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, DueStep, register
from casework.reports.models import PeriodicReport, ReportKind
from casework.reports.obligations import DEFINITION

ADHOC_TITLE = "Báo cáo đột xuất"
_R = PeriodicReport.__table__
_W = WorkflowInstance.__table__
_LOCK = (
    sa.select(_R.c.instance_id, _R.c.id, _R.c.commune_id, _R.c.kind, _R.c.agency_id, _R.c.title)
    .select_from(_R.join(_W, _W.c.id == _R.c.instance_id))
    .where(_R.c.instance_id.in_(sa.bindparam("ids", expanding=True)), _W.c.closed_at.is_(None))
    .order_by(_R.c.id)
    .with_for_update(of=_R)
)


@dataclass(frozen=True)
class Owed:
    instance_id: int
    id: int
    commune_id: int
    kind: str
    agency_id: int | None
    title: str


class ReportProcess(DefinedProcess):
    """The handler of one of the report definitions: its subjects are reports owed."""

    def __init__(self, name: str) -> None:
        definitions = [d for (n, _), d in workflow.definitions().items() if n == name]
        super().__init__(definitions, describe=lambda _instance: Described("", "", ""))

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, Owed]:
        rows = session.connection().execute(_LOCK, {"ids": sorted(instance_ids)})
        return {row.instance_id: Owed(*row) for row in rows}

    def people(self, directory: Directory, subject: Owed, roles: Sequence[str]) -> list[Person]:
        found: dict[int, Person] = {}
        agency = subject.kind == ReportKind.agency
        for role in roles:
            if role == "assignee" and agency:
                people = directory.members(
                    subject.agency_id, (Role.agency_officer, Role.agency_head)
                )
            elif role == "agency_head" and agency:
                people = directory.members(subject.agency_id, (Role.agency_head,))
            elif role == "caseworker" or (
                role == "assignee" and subject.kind == ReportKind.commune
            ):
                people = directory.commune_people(subject.commune_id, Role.caseworker)
            else:  # the supervisor: the commune report's head, an ad-hoc report's holder
                people = directory.commune_people(subject.commune_id, Role.supervisor)
            found.update({p.id: p for p in people})
        return list(found.values())

    def message(self, subject: Owed, due: DueStep, tz: ZoneInfo) -> Message:
        return Message(
            f"report.{due.step.step}",
            f"report:{subject.id}",
            {
                "report_id": subject.id,
                # An ad-hoc report's own title names the harm and the case: never sent.
                "report_title": ADHOC_TITLE if subject.kind == ReportKind.adhoc else subject.title,
                "deadline_kind": due.kind,
                "due_at": due.due_at.astimezone(tz).isoformat(),
            },
            urgent=subject.kind == ReportKind.adhoc,
        )

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, Described]:
        rows = session.execute(
            sa.select(_R.c.instance_id, _R.c.id, _R.c.title).where(
                _R.c.instance_id.in_(sorted(instance_ids))
            )
        )
        what = workflow.latest(self.name).title.vi
        return {
            instance_id: Described(
                what, f"{title} (số {report_id})", f"/bao-cao-dinh-ky/{report_id}"
            )
            for instance_id, report_id, title in rows
        }


for _name in DEFINITION.values():
    register(ReportProcess(_name))
