"""The cleaning loop's handler on the engine: what a late step does, and how a loop reads
in the supervisor's queue (by its number, never the child's name)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.agencies.directory import Directory
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.processes.registry import Described, DueStep, register
from casework.registry.cleaning import clocks
from casework.registry.cleaning.models import CleaningLoop, CleaningState
from workflows.engine import Engine

_L = CleaningLoop.__table__
_LOCK = (
    sa.select(_L.c.instance_id, _L.c.id, _L.c.commune_id, _L.c.state)
    .where(_L.c.instance_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(_L.c.id)
    .with_for_update()
)


class CleaningProcess:
    """The handler of ``data_cleaning``: its subjects are cleaning loops."""

    name = clocks.NAME

    @property
    def version(self) -> int:
        return clocks.definition().version

    def engine(self, version: int) -> Engine:
        return clocks.engine_for(version)

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, sa.Row]:
        rows = session.connection().execute(_LOCK, {"ids": sorted(instance_ids)})
        return {row.instance_id: row for row in rows if row.state != CleaningState.closed}

    def apply(
        self,
        session: Session,
        *,
        steps: Sequence[DueStep],
        subjects: Mapping[int, sa.Row],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        """An ``escalate`` step puts the late step in the supervisor's queue (once: the
        queue keeps one open entry per clock)."""
        late = [s for s in steps if s.step.escalate and s.instance_id in subjects]
        if not late:
            return
        directory = Directory.load(
            session, commune_ids={subjects[s.instance_id].commune_id for s in late}
        )
        escalation_service.raise_many(
            session,
            items=[
                escalation_service.NewEscalation(
                    case=None,
                    reason=EscalationReason.deadline_overdue,
                    deadline_id=s.deadline_id,
                    instance_id=s.instance_id,
                )
                for s in late
            ],
            directory=directory,
            now=now,
            tz=tz,
        )

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> Mapping[int, Described]:
        rows = session.execute(
            sa.select(_L.c.instance_id, _L.c.id).where(_L.c.instance_id.in_(sorted(instance_ids)))
        )
        return {
            instance_id: Described(
                "Làm sạch dữ liệu trẻ em (Đề án 06)",
                f"Việc làm sạch dữ liệu số {loop_id}",
                f"/api/v1/cleaning/{loop_id}",
            )
            for instance_id, loop_id in rows
        }


register(CleaningProcess())
