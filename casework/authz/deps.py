"""The policy as FastAPI dependencies: every route names its action here.

``allowed(action)`` authenticates (``current_actor``) and applies the role gate;
``case_for``, ``task_for`` and ``escalation_for`` also find the record in the path
through the scoped queries, so a record the person may not see answers 404 before any
body is read, exactly as a missing one. Each refusal is written to the audit log.
The route inventory test finds the action of every route through ``ACTION_ATTR``.
"""

# No "from __future__ import annotations": the dependencies below annotate with local
# values (the action), which FastAPI must see evaluated.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session, select

from casework.accounts.auth import CurrentActor, write_audit
from casework.accounts.models import User
from casework.accounts.service import UserNotFound
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.agencies.service import AgencyNotFound
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy, scopes
from casework.authz.policy import Action, CaseView, Decision, Outcome
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.cases.service import CaseNotFound
from casework.children.models import Child
from casework.communes.models import Commune, Village
from casework.errors import CaseworkError, NotFound
from casework.escalations.models import Escalation
from casework.escalations.service import EscalationNotFound
from casework.schemas_common import INT_MAX, Id
from casework.tasks.service import TaskNotFound

ACTION_ATTR = "casework_action"
# Changes to a case itself, for those who see it in full only.
FULL_VIEW_WRITES = frozenset({Action.case_event, Action.case_assign, Action.case_take})


class NotPermitted(CaseworkError):
    status_code = 403
    code = "not_permitted"

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.code = reason


def refuse(
    request: Request,
    actor: Actor,
    action: Action,
    decision: Decision,
    *,
    hidden: CaseworkError | None = None,
    subject: tuple[str, str] | None = None,
) -> None:
    """Record the refusal, then answer 404 (as if absent) or 403 (visible, not allowed)."""
    subject_type, subject_id = subject or (None, None)
    write_audit(
        request,
        actor,
        Record(
            AuditAction.permission_denied,
            subject_type,
            subject_id,
            outcome=decision.outcome.value,
            detail={"action": action.value, "path": request.url.path, "reason": decision.reason},
        ),
    )
    if decision.outcome == Outcome.hidden:
        raise hidden or NotFound()
    raise NotPermitted(decision.reason)


def _tagged(action: Action, dependency: Callable[..., Any]) -> Any:
    setattr(dependency, ACTION_ATTR, action)
    return Depends(dependency)


def allowed(action: Action) -> Any:
    """``Depends``: the authenticated actor, if their role may attempt ``action``."""

    def dependency(request: Request, actor: CurrentActor) -> Actor:
        decision = policy.gate(actor, action)
        if not decision.allowed:
            refuse(request, actor, action, decision)
        return actor

    return _tagged(action, dependency)


def Allowed(action: Action) -> Any:  # noqa: N802  (reads as a type in signatures)
    """``actor: Allowed(Action.x)`` in a view's signature."""
    return Annotated[Actor, allowed(action)]


@dataclass(frozen=True)
class CaseAccess:
    """A case the actor may see, and how much of it."""

    id: int
    code: str
    commune_id: int
    view: CaseView
    actor: Actor


def _live_agencies(session: Session, case_id: int) -> set[int]:
    return set(
        session.exec(
            select(Task.agency_id).where(Task.case_id == case_id, Task.status != TaskStatus.planned)
        ).all()
    )


def _case_access(session: Session, actor: Actor, case: ProtectionCase) -> CaseAccess | None:
    view = policy.case_view(
        actor, commune_id=case.commune_id, task_agency_ids=_live_agencies(session, case.id)
    )
    if view is None:
        return None
    return CaseAccess(
        id=case.id, code=case.code, commune_id=case.commune_id, view=view, actor=actor
    )


def case_for(action: Action) -> Any:
    """``Depends``: the case named by the path's ``code``, if the actor may see it (else 404)."""

    def dependency(request: Request, code: str, actor: Annotated[Actor, allowed(action)]):  # type: ignore[no-untyped-def]
        code = code.strip().upper()
        with request.app.state.session_factory() as session:
            case = session.exec(
                select(ProtectionCase).where(
                    ProtectionCase.code == code, scopes.visible_cases(actor)
                )
            ).first()
            access = _case_access(session, actor, case) if case is not None else None
        if access is None:
            refuse(
                request,
                actor,
                action,
                policy.HIDE,
                hidden=CaseNotFound(code=code),
                subject=("case", code),
            )
        assert access is not None
        if action in FULL_VIEW_WRITES and access.view != CaseView.full:
            refuse(request, actor, action, policy.deny("not_permitted"), subject=("case", code))
        return access

    return _tagged(action, dependency)


@dataclass(frozen=True)
class TaskAccess:
    task_id: int
    case: CaseAccess


def task_for(action: Action) -> Any:
    """``Depends``: the task in the path, if it is the actor's agency's (404 if unseen,
    403 if seen but another agency's)."""

    def dependency(request: Request, task_id: Id, actor: Annotated[Actor, allowed(action)]):  # type: ignore[no-untyped-def]
        with request.app.state.session_factory() as session:
            row = session.exec(
                select(Task, ProtectionCase)
                .join(ProtectionCase, ProtectionCase.id == Task.case_id)
                .where(Task.id == task_id, scopes.visible_tasks(actor))
            ).first()
            access = _case_access(session, actor, row[1]) if row is not None else None
        decision = (
            policy.task_decision(
                actor, view=access.view if access else None, task_agency_id=row[0].agency_id
            )
            if row is not None
            else policy.HIDE
        )
        if not decision.allowed:
            refuse(
                request,
                actor,
                action,
                decision,
                hidden=TaskNotFound(task_id=task_id),
                subject=("task", str(task_id)),
            )
        assert access is not None
        return TaskAccess(task_id=task_id, case=access)

    return _tagged(action, dependency)


def escalation_for(action: Action) -> Any:
    """``Depends``: the escalation in the path, if its case is in the actor's full view."""

    def dependency(  # type: ignore[no-untyped-def]
        request: Request, escalation_id: Id, actor: Annotated[Actor, allowed(action)]
    ):
        with request.app.state.session_factory() as session:
            case = session.exec(
                select(ProtectionCase)
                .join(Escalation, Escalation.case_id == ProtectionCase.id)
                .where(Escalation.id == escalation_id, scopes.full_cases(actor))
            ).first()
            access = _case_access(session, actor, case) if case is not None else None
        if access is None or not policy.escalation_visible(access.view):
            refuse(
                request,
                actor,
                action,
                policy.HIDE,
                hidden=EscalationNotFound(escalation_id=escalation_id),
                subject=("escalation", str(escalation_id)),
            )
        return access

    return _tagged(action, dependency)


@dataclass(frozen=True)
class ChildAccess:
    """A child in the register the actor may read."""

    id: int
    commune_id: int
    actor: Actor


def child_for(action: Action) -> Any:
    """``Depends``: the child named by the path's ``child_id``, if the actor may read the
    children register of the child's commune (else 404, as a child that does not exist)."""

    def dependency(request: Request, child_id: Id, actor: Annotated[Actor, allowed(action)]):  # type: ignore[no-untyped-def]
        with request.app.state.session_factory() as session:
            commune_id = session.exec(
                select(Child.commune_id).where(Child.id == child_id, scopes.visible_children(actor))
            ).first()
        if commune_id is None or not policy.child_visible(actor, commune_id=commune_id):
            refuse(request, actor, action, policy.HIDE, subject=("child", str(child_id)))
        assert commune_id is not None
        return ChildAccess(id=child_id, commune_id=commune_id, actor=actor)

    return _tagged(action, dependency)


@dataclass(frozen=True)
class Administered:
    """A person or an agency of the administrator's commune (never case content)."""

    id: int
    actor: Actor


def _is_id(value: object) -> bool:
    return str(value).isdigit() and 0 < int(str(value)) <= INT_MAX


def _administered(
    action: Action, model: type[Any], param: str, hidden: Callable[[str], CaseworkError]
) -> Any:
    def dependency(request: Request, actor: Annotated[Actor, allowed(action)]):  # type: ignore[no-untyped-def]
        record_id = request.path_params[param]
        with request.app.state.session_factory() as session:
            found = session.get(model, int(record_id)) if _is_id(record_id) else None
        decision = policy.administered(actor, commune_id=found.commune_id) if found else policy.HIDE
        if not decision.allowed:
            refuse(
                request,
                actor,
                action,
                decision,
                hidden=hidden(str(record_id)),
                subject=(model.__tablename__, str(record_id)),
            )
        return Administered(id=int(record_id), actor=actor)

    return _tagged(action, dependency)


def user_for(action: Action) -> Any:
    """``Depends``: the account in the path (``user_id``), if of the administrator's commune."""
    return _administered(action, User, "user_id", lambda id_: UserNotFound(username=id_))


def agency_for(action: Action) -> Any:
    """``Depends``: the agency in the path (``agency_id``), if of the administrator's commune."""
    return _administered(action, Agency, "agency_id", lambda id_: AgencyNotFound(agency_id=id_))


def village_for(action: Action) -> Any:
    """``Depends``: the village in the path (``village_id``), if of the administrator's commune."""
    return _administered(action, Village, "village_id", lambda id_: NotFound())


def commune_for(action: Action) -> Any:
    """``Depends``: the commune in the path (``commune_id``), if of the province
    administrator's province."""

    def dependency(request: Request, actor: Annotated[Actor, allowed(action)]) -> Administered:
        record_id = request.path_params["commune_id"]
        with request.app.state.session_factory() as session:
            found = session.get(Commune, int(record_id)) if _is_id(record_id) else None
        decision = policy.province_commune(actor, province=found.province) if found else policy.HIDE
        if not decision.allowed:
            refuse(request, actor, action, decision, subject=("commune", str(record_id)))
        return Administered(id=int(record_id), actor=actor)

    return Annotated[Administered, _tagged(action, dependency)]


def action_of(call: Callable[..., Any]) -> Action | None:
    return getattr(call, ACTION_ATTR, None)
