"""The policy's rules as SQL: which cases, tasks, children and escalations a person may list.

Every list and every record lookup starts from one of these conditions, so a query
cannot forget the commune or the agency. They mirror ``policy.case_view``: full view
for the commune's caseworkers and supervisor, task view for an agency with a live task.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from casework.accounts.models import Role
from casework.actors import Actor
from casework.authz.policy import AGENCY_CASE_ROLES, FULL_CASE_ROLES, TASK_ROLES
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.children.models import Child
from casework.communes.models import Commune
from casework.escalations.models import Escalation
from casework.processes.models import WorkflowInstance

NOTHING: ColumnElement[bool] = sa.false()


def live_task_of(agency_id: int | None) -> ColumnElement[bool]:
    """The case has a task of this agency that its agency can see (not a plan draft)."""
    return (
        sa.select(Task.id)
        .where(
            Task.case_id == ProtectionCase.id,
            Task.agency_id == agency_id,
            Task.status != TaskStatus.planned,
        )
        .exists()
    )


def visible_cases(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``ProtectionCase``: the cases ``actor`` may see at all."""
    if actor.commune_id is None:
        return NOTHING
    in_commune = ProtectionCase.commune_id == actor.commune_id
    if actor.role in FULL_CASE_ROLES:
        return in_commune
    if actor.role in AGENCY_CASE_ROLES and actor.agency_id is not None:
        return sa.and_(in_commune, live_task_of(actor.agency_id))
    return NOTHING


def full_cases(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``ProtectionCase``: the cases ``actor`` sees in full."""
    if actor.commune_id is None or actor.role not in FULL_CASE_ROLES:
        return NOTHING
    return ProtectionCase.commune_id == actor.commune_id


def instances(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``WorkflowInstance``: the instances of processes other than cases that
    ``actor`` sees (the commune's, for those who see its cases in full)."""
    if actor.commune_id is None or actor.role not in FULL_CASE_ROLES:
        return NOTHING
    return WorkflowInstance.commune_id == actor.commune_id


def escalations(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``Escalation`` (joined to its instance and case): the queue ``actor``
    sees, every process's in one list."""
    return sa.or_(full_cases(actor), sa.and_(Escalation.case_id.is_(None), instances(actor)))


def visible_children(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``Child``: the children register is for caseworkers and supervisors."""
    if actor.commune_id is None or actor.role not in FULL_CASE_ROLES:
        return NOTHING
    return Child.commune_id == actor.commune_id


def visible_tasks(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``Task`` (joined to its case): all of a fully seen case's tasks, or an
    agency's own live tasks."""
    if actor.commune_id is None:
        return NOTHING
    in_commune = ProtectionCase.commune_id == actor.commune_id
    if actor.role in FULL_CASE_ROLES:
        return in_commune
    if actor.role in AGENCY_CASE_ROLES and actor.agency_id is not None:
        return sa.and_(
            in_commune, Task.agency_id == actor.agency_id, Task.status != TaskStatus.planned
        )
    return NOTHING


def own_agency_tasks(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``Task`` (joined to its case): the live tasks of the person's own agency,
    those they answer; on a case, what decides the facts an agency is shown of it."""
    if actor.commune_id is None or actor.agency_id is None or actor.role not in TASK_ROLES:
        return NOTHING
    return sa.and_(
        ProtectionCase.commune_id == actor.commune_id,
        Task.agency_id == actor.agency_id,
        Task.status != TaskStatus.planned,
    )


def counted_communes(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``Commune``: whose case counts ``actor`` may read (``stats.read``): a
    province viewer every commune of their province, anyone else their own commune."""
    if actor.role == Role.province_viewer:
        own = sa.select(Commune.province).where(Commune.id == actor.commune_id).scalar_subquery()
        return Commune.province == own
    return Commune.id == actor.commune_id
