"""/api/v1/cleaning: the Đề án 06 loop for records with problems.

The caseworker starts loops and applies what was verified (``cleaning.manage``); the
village's board and the commune police answer their step (``cleaning.task``), seeing only
what the step needs. Every read and write of a child's data is in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy
from casework.authz.deps import _tagged, allowed, refuse
from casework.authz.policy import Action
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.registry.cleaning import reading
from casework.registry.cleaning import service as cleaning_service
from casework.registry.cleaning.models import CleaningLoop
from casework.registry.cleaning.policy import LoopView, held_by, managed_by
from casework.registry.cleaning.schemas import (
    ApplyUpdate,
    CleaningStart,
    LoopBrief,
    LoopRead,
    Verification,
    VisitFindings,
)
from casework.schemas_common import Id

router = APIRouter(prefix="/api/v1/cleaning", tags=["data cleaning (Đề án 06)"])
T = TypeVar("T")


@dataclass(frozen=True)
class LoopAccess:
    id: int
    view: LoopView
    actor: Actor


def loop_for(action: Action) -> Any:
    """``Depends``: the loop in the path, if the actor sees it for ``action`` (the
    caseworker's whole loop, or a step holder's own step); otherwise 404."""
    wanted = {
        Action.cleaning_manage: {LoopView.full},
        Action.cleaning_task: set(LoopView) - {LoopView.full},
    }[action]

    def dependency(request: Request, loop_id: Id, actor: Actor = allowed(action)) -> LoopAccess:  # noqa: B008
        with request.app.state.session_factory() as session:
            try:
                _, view = cleaning_service.visible(session, actor, loop_id=loop_id)
            except cleaning_service.LoopNotFound:
                view = None
        if view not in wanted:
            refuse(request, actor, action, policy.HIDE, subject=("cleaning_loop", str(loop_id)))
        assert view is not None
        return LoopAccess(id=loop_id, view=view, actor=actor)

    return _tagged(action, dependency)


ManageDep = Annotated[LoopAccess, loop_for(Action.cleaning_manage)]
TaskDep = Annotated[LoopAccess, loop_for(Action.cleaning_task)]


def viewed(request: Request, actor: Actor, session: Session, loops: list[LoopBrief]) -> None:
    write_audit(
        request,
        actor,
        Record(
            AuditAction.view, "cleaning_loop", None, detail={"loops": [loop.id for loop in loops]}
        ),
        after=session,
    )


def act(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    access: LoopAccess,
    verb: str,
    work: Callable[[Session, CleaningLoop, LoopView], object],
) -> LoopRead:
    """Lock the loop, apply ``work``, record it in the audit log; one commit."""

    def transaction(session: Session) -> LoopRead:
        loop, view = cleaning_service.visible(session, access.actor, loop_id=access.id, lock=True)
        work(session, loop, view)
        audit_service.append(
            session,
            access.actor,
            Record(
                AuditAction.update,
                "cleaning_loop",
                str(loop.id),
                detail={"child": loop.child_id, "action": verb, "state": str(loop.state)},
            ),
            origin=origin_of(request),
            now=clock.now(),
        )
        return reading.read(
            session, loop, LoopView.full if view == LoopView.full else LoopView.visit
        )

    return run_in_transaction(factory, transaction)


@router.post("", response_model=list[LoopBrief], responses=errors(401, 404, 422))
def start(
    request: Request,
    actor: Annotated[Actor, allowed(Action.cleaning_manage)],
    body: CleaningStart,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> list[LoopBrief]:
    """Start the loop for one child, or for every child of a village with problems."""
    return start_loops(request, actor, body, factory, clock.now(), settings.tz)


def start_loops(
    request: Request,
    actor: Actor,
    body: CleaningStart,
    factory: SessionFactoryDep,
    now: datetime,
    tz: ZoneInfo,
) -> list[LoopBrief]:
    """Start the loops ``body`` names and record it in the audit log; one commit."""

    def work(session: Session) -> list[LoopBrief]:
        loops = cleaning_service.start(session, actor, data=body, now=now, tz=tz)
        audit_service.append(
            session,
            actor,
            Record(
                AuditAction.create,
                "cleaning_loop",
                None,
                detail={
                    "loops": [loop.id for loop in loops],
                    "children": [loop.child_id for loop in loops],
                },
            ),
            origin=origin_of(request),
            now=now,
        )
        return reading.briefs(session, loops)

    return run_in_transaction(factory, work)


@router.get("", response_model=list[LoopBrief], responses=errors(401, 404))
def open_loops(
    request: Request,
    actor: Annotated[Actor, allowed(Action.cleaning_manage)],
    session: ReadSessionDep,
) -> list[LoopBrief]:
    """The commune's open loops, oldest first."""
    found = reading.briefs(session, cleaning_service.held(session, condition=managed_by(actor)))
    viewed(request, actor, session, found)
    return found


@router.get("/tasks", response_model=list[LoopBrief], responses=errors(401, 404))
def my_steps(
    request: Request,
    actor: Annotated[Actor, allowed(Action.cleaning_task)],
    session: ReadSessionDep,
) -> list[LoopBrief]:
    """The visits (a village) or verifications (the police) waiting on the person's agency."""
    found = reading.briefs(session, cleaning_service.held(session, condition=held_by(actor)))
    viewed(request, actor, session, found)
    return found


def read_one(request: Request, access: LoopAccess, session: Session) -> LoopRead:
    loop, view = cleaning_service.visible(session, access.actor, loop_id=access.id)
    found = reading.read(session, loop, view)
    write_audit(
        request,
        access.actor,
        Record(
            AuditAction.view,
            "cleaning_loop",
            str(loop.id),
            detail={"child": loop.child_id, "view": view.value},
        ),
        after=session,
    )
    return found


@router.get("/tasks/{loop_id}", response_model=LoopRead, responses=errors(401, 404))
def step(request: Request, access: TaskDep, session: ReadSessionDep) -> LoopRead:
    """One step as its holder sees it: the fields to find or verify, nothing else."""
    return read_one(request, access, session)


@router.get("/{loop_id}", response_model=LoopRead, responses=errors(401, 404))
def loop(request: Request, access: ManageDep, session: ReadSessionDep) -> LoopRead:
    """A loop in full: what each step found, and the record as it stands."""
    return read_one(request, access, session)


@router.post(
    "/tasks/{loop_id}/visit", response_model=LoopRead, responses=errors(401, 404, 409, 422)
)
def record_visit(
    request: Request,
    access: TaskDep,
    body: VisitFindings,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> LoopRead:
    """Step 1: what the household's papers say; the police verify next."""
    now = clock.now()
    return act(
        request,
        factory,
        clock,
        access,
        "visit",
        lambda s, loop, view: cleaning_service.record_visit(
            s, access.actor, loop=loop, view=view, data=body, now=now, tz=settings.tz
        ),
    )


@router.post(
    "/tasks/{loop_id}/verify", response_model=LoopRead, responses=errors(401, 404, 409, 422)
)
def record_verification(
    request: Request,
    access: TaskDep,
    body: Verification,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> LoopRead:
    """Step 2: the verified personal id, date of birth and sex; the caseworker updates next."""
    now = clock.now()
    return act(
        request,
        factory,
        clock,
        access,
        "verify",
        lambda s, loop, view: cleaning_service.record_verification(
            s, access.actor, loop=loop, view=view, data=body, now=now, tz=settings.tz
        ),
    )


@router.post("/{loop_id}/update", response_model=LoopRead, responses=errors(401, 404, 409, 422))
def apply_update(
    request: Request,
    access: ManageDep,
    body: ApplyUpdate,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> LoopRead:
    """Step 3: the verified values go on the child's record; the loop is closed."""
    now = clock.now()
    return act(
        request,
        factory,
        clock,
        access,
        "update",
        lambda s, loop, view: cleaning_service.apply_update(
            s, access.actor, loop=loop, view=view, data=body, now=now, tz=settings.tz
        ),
    )
