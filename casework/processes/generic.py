"""The handler of a process whose state lives on its instance (a register review, a report
obligation): a fired ladder step tells the commune's people the ladder names, in the
process's own words, and an ``escalate`` step puts the instance in the supervisor's queue.

A process gives its definitions, how to word a step for a person (``words``) and how its
instances read in the queue (``describe``); the claim loop, the ladder runner, the queue
and the outbox are the shared ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.accounts.models import Role
from casework.agencies.directory import Directory, Person
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.notices import messages_for
from casework.processes.models import WorkflowInstance
from casework.processes.registry import Described, DueStep
from notifications.outbox import enqueue_many
from workflows.definition import Definition
from workflows.engine import Engine, Guard

_W = WorkflowInstance.__table__
_COLUMNS = (
    _W.c.id,
    _W.c.definition,
    _W.c.state,
    _W.c.commune_id,
    _W.c.subject_kind,
    _W.c.subject_id,
    _W.c.subject_key,
)
_LOCK = (
    sa.select(*_COLUMNS)
    .where(_W.c.id.in_(sa.bindparam("ids", expanding=True)), _W.c.closed_at.is_(None))
    .order_by(_W.c.id)
    .with_for_update()
)
_READ = sa.select(*_COLUMNS).where(_W.c.id.in_(sa.bindparam("ids", expanding=True)))
# Who a ladder's roles reach in a process without agency tasks: the commune's people.
ROLE_OF = {
    "assignee": Role.caseworker,
    "caseworker": Role.caseworker,
    "supervisor": Role.supervisor,
}


@dataclass(frozen=True)
class Instance:
    """An instance as its handler reads it."""

    id: int
    definition: str
    state: str | None
    commune_id: int
    subject_kind: str
    subject_id: int | None
    subject_key: str


@dataclass(frozen=True)
class Message:
    kind: str
    subject_ref: str
    context: dict[str, Any]
    urgent: bool = False


Words = Callable[[Instance, DueStep], dict[str, Any]]
Describe = Callable[[Instance], Described]


class DefinedProcess:
    """A process run entirely from its definition files."""

    def __init__(
        self,
        definitions: Sequence[Definition],
        *,
        describe: Describe,
        words: Words | None = None,
        guards: Mapping[str, Guard] | None = None,
    ) -> None:
        names = {d.name for d in definitions}
        if len(names) != 1:
            raise ValueError(f"one process, one definition name: {sorted(names)}")
        self.name = names.pop()
        self.version = max(d.version for d in definitions)
        self._engines = {d.version: Engine(d, guards or {}) for d in definitions}
        self._describe = describe
        self._words = words or (lambda _instance, _due: {})

    def engine(self, version: int) -> Engine:
        return self._engines[version]

    def lock(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, Instance]:
        rows = session.connection().execute(_LOCK, {"ids": sorted(instance_ids)})
        return {row.id: Instance(*row) for row in rows}

    def people(self, directory: Directory, subject: Any, roles: Sequence[str]) -> list[Person]:
        """Whom a step's roles reach: the commune's people (a process without agency
        tasks); a process of its own subjects says otherwise."""
        found = {
            p.id: p
            for role in roles
            if role in ROLE_OF
            for p in directory.commune_people(subject.commune_id, ROLE_OF[role])
        }
        return list(found.values())

    def message(self, subject: Any, due: DueStep, tz: ZoneInfo) -> Message:
        """A step's message about ``subject``: its kind, what it is about, its context."""
        return Message(
            f"{self.name}.{due.step.step}",
            f"instance:{subject.id}",
            {
                "instance_id": subject.id,
                "deadline_kind": due.kind,
                "due_at": due.due_at.astimezone(tz).isoformat(),
                **self._words(subject, due),
            },
        )

    def apply(
        self,
        session: Session,
        *,
        steps: Sequence[DueStep],
        subjects: Mapping[int, Any],
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        """The people the step names are told (one message each, in the process's words)
        and an ``escalate`` step puts the instance in the supervisor's queue."""
        directory = Directory.load(
            session, commune_ids={subjects[s.instance_id].commune_id for s in steps}
        )
        news, escalations = [], []
        for due in steps:
            subject = subjects[due.instance_id]
            if not due.superseded and due.step.notify:
                said = self.message(subject, due, tz)
                news += messages_for(
                    self.people(directory, subject, due.step.notify),
                    kind=said.kind,
                    subject_ref=said.subject_ref,
                    dedupe=f"deadline:{due.deadline_id}:{due.step.step}",
                    context=said.context,
                    urgent=said.urgent,
                )
            if due.step.escalate:
                escalations.append(
                    escalation_service.NewEscalation(
                        case=None,
                        reason=EscalationReason.deadline_overdue,
                        deadline_id=due.deadline_id,
                        instance_id=due.instance_id,
                    )
                )
        enqueue_many(session, news, now=now)
        if escalations:
            escalation_service.raise_many(
                session, items=escalations, directory=directory, now=now, tz=tz
            )

    def describe(self, session: Session, *, instance_ids: Sequence[int]) -> dict[int, Described]:
        rows = session.connection().execute(_READ, {"ids": sorted(instance_ids)})
        return {row.id: self._describe(Instance(*row)) for row in rows}
