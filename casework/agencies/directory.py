"""Who is who in a commune: its active agencies and people, read once per unit of work.

Routing a task and choosing a message's recipients both ask "which agency" and "which
people"; answering from one read of the commune (two small queries) instead of one query
per question keeps a batch of fired timers or an intake's routed tasks set-based.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session

from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind


class CaseRef(Protocol):
    """What routing and messages need of a case (the ORM row or a lighter read of it)."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def instance_id(self) -> int | None: ...
    @property
    def commune_id(self) -> int: ...
    @property
    def is_emergency(self) -> bool: ...
    @property
    def assigned_caseworker_id(self) -> int | None: ...


class TaskRef(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def agency_id(self) -> int: ...
    @property
    def assignee_id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...


@dataclass(frozen=True)
class Person:
    id: int
    role: str
    agency_id: int | None
    commune_id: int
    # How messages reach them (``casework.notices.deliveries``).
    email: str | None = None
    phone: str | None = None
    notify_via: str = "both"
    language: str = "vi"


@dataclass(frozen=True)
class AgencyRow:
    id: int
    commune_id: int
    kind: str
    name: str
    village_id: int | None


_PEOPLE = (
    sa.select(
        User.id,
        User.role,
        User.agency_id,
        User.commune_id,
        User.email,
        User.phone,
        User.notify_via,
        User.language,
    )
    .where(User.commune_id.in_(sa.bindparam("communes", expanding=True)), User.is_active)
    .order_by(User.id)
)
_AGENCIES = (
    sa.select(Agency.id, Agency.commune_id, Agency.kind, Agency.name, Agency.village_id)
    .where(Agency.commune_id.in_(sa.bindparam("communes", expanding=True)), Agency.is_active)
    .order_by(Agency.id)
)

# The task's own agency members who act on it; the culture and social office's focal
# points are its caseworkers.
ASSIGNEE_ROLES = (Role.agency_officer, Role.caseworker)
# Who may own a case (``ProtectionCase.assigned_caseworker_id``).
OWNERS = (Role.caseworker, Role.supervisor)


def choose_for_task(
    candidates: Iterable[AgencyRow],
    *,
    kind: str,
    school_name: str | None = None,
    village_id: int | None = None,
) -> AgencyRow | None:
    """The agency of ``kind`` a routed task goes to: a school task to the child's own school,
    a village task to the head of the child's own village, otherwise the first of the kind."""
    of_kind = [a for a in candidates if a.kind == kind]
    if kind == AgencyKind.school:
        key = text.fold(school_name or "")
        return next((a for a in of_kind if key and text.fold(a.name) == key), None)
    if kind == AgencyKind.village:
        return next((a for a in of_kind if a.village_id == village_id), None)
    return of_kind[0] if of_kind else None


class Directory:
    """The active agencies and people of some communes."""

    def __init__(self, people: Iterable[Person], agencies: Iterable[AgencyRow]) -> None:
        self.people = {p.id: p for p in people}
        self._by_commune: dict[int, list[AgencyRow]] = defaultdict(list)
        for agency in agencies:
            self._by_commune[agency.commune_id].append(agency)

    @classmethod
    def load(cls, session: Session, *, commune_ids: Collection[int]) -> Directory:
        conn = session.connection()
        params = {"communes": sorted(set(commune_ids))}
        return cls(
            (Person(*row) for row in conn.execute(_PEOPLE, params)),
            (AgencyRow(*row) for row in conn.execute(_AGENCIES, params)),
        )

    # -- agencies ------------------------------------------------------------------

    def agency_for_task(
        self, *, commune_id: int, kind: str, school_name: str | None, village_id: int | None
    ) -> AgencyRow | None:
        return choose_for_task(
            self._by_commune[commune_id], kind=kind, school_name=school_name, village_id=village_id
        )

    def lead_agency(self, commune_id: int) -> AgencyRow | None:
        """The culture and social office: the caseworkers' agency, lead on every case."""
        return self.agency_for_task(
            commune_id=commune_id, kind=AgencyKind.culture_social, school_name=None, village_id=None
        )

    # -- people --------------------------------------------------------------------

    def members(self, agency_id: int | None, roles: Collection[str]) -> list[Person]:
        return [p for p in self.people.values() if p.agency_id == agency_id and p.role in roles]

    def commune_people(self, commune_id: int, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.commune_id == commune_id and p.role == role]

    def caseworkers(self, case: CaseRef) -> list[Person]:
        """The case's owner (a caseworker, or the supervisor who kept it), or every
        caseworker of the commune while nobody has it (or its owner left)."""
        owner = self.people.get(case.assigned_caseworker_id or 0)
        if owner is not None and owner.commune_id == case.commune_id and owner.role in OWNERS:
            return [owner]
        return self.commune_people(case.commune_id, Role.caseworker)

    def task_assignees(self, task: TaskRef, case: CaseRef | None = None) -> list[Person]:
        """The person the task is assigned to, or else its agency's focal points; for a
        task of the lead office (the caseworkers' own), the case's owner when it has one."""
        person = self.people.get(task.assignee_id) if task.assignee_id is not None else None
        if person is not None:
            return [person]
        if case is not None and case.assigned_caseworker_id is not None:
            lead = self.lead_agency(case.commune_id)
            if lead is not None and lead.id == task.agency_id:
                return self.caseworkers(case)
        return self.members(task.agency_id, ASSIGNEE_ROLES)

    def recipients(
        self, *, case: CaseRef, task: TaskRef | None, roles: Iterable[str]
    ) -> list[Person]:
        """``assignee`` (the task's people, or the case's caseworker for a case clock),
        ``agency_head`` (of the task's agency, or of the lead office), ``caseworker``,
        ``supervisor``; each person once."""
        found: dict[int, Person] = {}
        for role in roles:
            if role == "assignee":
                people = (
                    self.task_assignees(task, case) if task is not None else self.caseworkers(case)
                )
            elif role == "agency_head":
                if task is not None:
                    agency_id: int | None = task.agency_id
                else:
                    lead = self.lead_agency(case.commune_id)
                    agency_id = lead.id if lead else None
                people = self.members(agency_id, (Role.agency_head,)) if agency_id else []
            elif role == "caseworker":
                people = self.caseworkers(case)
            else:
                people = self.commune_people(case.commune_id, Role.supervisor)
            found.update((p.id, p) for p in people)
        return list(found.values())
