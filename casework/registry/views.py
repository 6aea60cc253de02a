"""The register's JSON API: a child's groups, at-risk marks, support and proposals, and the
commune's open proposals (caseworkers and the supervisor; every read and write audited).

Rows are never edited in place: an end or a decision is written once, on a row still
open (``until`` empty, status ``open``); a second writer gets 409 with what happened.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.registry import proposals, use_cases
from casework.registry import service as registry_service
from casework.registry.schemas import (
    ChildRegister,
    MembershipCreate,
    MembershipEndIn,
    MembershipRead,
    ProposalDecision,
    ProposalRead,
    SupportCreate,
    SupportEndIn,
    SupportRead,
)
from casework.timefmt import local_date

router = APIRouter(prefix="/api/v1", tags=["register"])
WRITE_ERRORS = errors(401, 403, 404, 409, 422)


def context(
    request: Request, access: ChildAccess, clock: ClockDep, settings: SettingsDep
) -> use_cases.Context:
    """Who acts on which child, from where and when, for a write."""
    now = clock.now()
    return use_cases.Context(
        actor=access.actor,
        child_id=access.id,
        origin=origin_of(request),
        now=now,
        today=local_date(now, settings.tz),
    )


def audit_register_read(request: Request, actor: Actor, child_id: int, session: Session) -> None:
    """The audit entry of a read of a child's part of the register (pages and API)."""
    write_audit(
        request, actor, Record(AuditAction.view, "child_register", str(child_id)), after=session
    )


@router.get(
    "/children/{child_id}/register", response_model=ChildRegister, responses=errors(401, 404)
)
def child_register(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_list)],
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> ChildRegister:
    """The child's groups and at-risk marks now, their history, the support received, the
    proposals from cases and the ends a 16th or 18th birthday suggests."""
    today = local_date(clock.now(), settings.tz)
    found = registry_service.child_register(session, child_id=access.id, today=today)
    audit_register_read(request, access.actor, access.id, session)
    return found


@router.post(
    "/children/{child_id}/memberships",
    response_model=MembershipRead,
    status_code=201,
    responses=WRITE_ERRORS,
)
def add_membership(
    request: Request,
    body: MembershipCreate,
    access: Annotated[ChildAccess, child_for(Action.membership_write)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> MembershipRead:
    """Record a group of Luật Trẻ em Đ10 (with its NĐ56 sub-group) or an at-risk mark."""
    ctx = context(request, access, clock, settings)
    return run_in_transaction(factory, lambda s: use_cases.add_membership(s, ctx, body))


@router.post(
    "/children/{child_id}/memberships/end", response_model=MembershipRead, responses=WRITE_ERRORS
)
def end_membership(
    request: Request,
    body: MembershipEndIn,
    access: Annotated[ChildAccess, child_for(Action.membership_write)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> MembershipRead:
    """End a current membership: end date, reason and evidence; the row stays in history."""
    ctx = context(request, access, clock, settings)
    return run_in_transaction(factory, lambda s: use_cases.end_membership(s, ctx, body))


@router.post(
    "/children/{child_id}/support", response_model=SupportRead, status_code=201,
    responses=WRITE_ERRORS,
)  # fmt: skip
def add_support(
    request: Request,
    body: SupportCreate,
    access: Annotated[ChildAccess, child_for(Action.support_write)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> SupportRead:
    """Record support the child received (kind, period, provider, amount)."""
    ctx = context(request, access, clock, settings)
    return run_in_transaction(factory, lambda s: use_cases.add_support(s, ctx, body))


@router.post("/children/{child_id}/support/end", response_model=SupportRead, responses=WRITE_ERRORS)
def end_support(
    request: Request,
    body: SupportEndIn,
    access: Annotated[ChildAccess, child_for(Action.support_write)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> SupportRead:
    """Record the day an ongoing support stopped."""
    ctx = context(request, access, clock, settings)
    return run_in_transaction(factory, lambda s: use_cases.end_support(s, ctx, body))


@router.post(
    "/children/{child_id}/proposals/decide", response_model=ProposalRead, responses=WRITE_ERRORS
)
def decide_proposal(
    request: Request,
    body: ProposalDecision,
    access: Annotated[ChildAccess, child_for(Action.proposal_decide)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> ProposalRead:
    """Confirm a proposal from a case (the membership names the case and who decided) or
    dismiss it with a reason."""
    ctx = context(request, access, clock, settings)

    def work(session: Session) -> ProposalRead:
        proposal_id = use_cases.decide_proposal(session, ctx, body)
        return next(
            p for p in proposals.of_child(session, child_id=ctx.child_id) if p.id == proposal_id
        )

    return run_in_transaction(factory, work)


@router.get("/registry/proposals", response_model=list[ProposalRead], responses=errors(401, 404))
def open_proposals(
    request: Request, actor: Allowed(Action.child_list), session: ReadSessionDep
) -> list[ProposalRead]:
    """The commune's proposals from cases waiting for a decision, oldest first."""
    found = proposals.open_in_commune(session, commune_id=actor.commune_id or 0)
    write_audit(
        request,
        actor,
        Record(
            AuditAction.view,
            "registry_proposals",
            None,
            detail={"children": sorted({p.child_id for p in found})},
        ),
        after=session,
    )
    return found
