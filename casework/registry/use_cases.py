"""The register's writes as the API and the pages run them: the change and its audit entry
in the caller's transaction (which the entry point commits once).

The audit entry names the child by number and what was done, never the group: "l) bị xâm
hại tình dục" is itself protected data about the child (NĐ56 Đ33).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Origin, Record
from casework.children.models import Child
from casework.registry import memberships, proposals, support
from casework.registry.schemas import (
    MembershipCreate,
    MembershipEndIn,
    MembershipRead,
    ProposalDecision,
    SupportCreate,
    SupportEndIn,
    SupportRead,
)


@dataclass(frozen=True)
class Context:
    """Who acts on which child, from where, and when (``today`` in the commune's zone)."""

    actor: Actor
    child_id: int
    origin: Origin
    now: datetime
    today: date


def _audit(session: Session, ctx: Context, action: str, row_id: int | None) -> None:
    record = Record(
        AuditAction.update,
        "child_register",
        str(ctx.child_id),
        detail={"action": action, "row": row_id},
    )
    audit_service.append(session, ctx.actor, record, origin=ctx.origin, now=ctx.now)


def _child(session: Session, ctx: Context) -> Child:
    return session.get_one(Child, ctx.child_id)


def add_membership(session: Session, ctx: Context, data: MembershipCreate) -> MembershipRead:
    """Record a group (or an at-risk mark) for the child, decided by the actor."""
    row = memberships.add(
        session, ctx.actor, child=_child(session, ctx), data=data, now=ctx.now, today=ctx.today
    )
    _audit(session, ctx, "at_risk_added" if data.at_risk else "membership_added", row.id)
    return memberships.reads(session, [row])[0]


def end_membership(session: Session, ctx: Context, data: MembershipEndIn) -> MembershipRead:
    """End one of the child's current memberships, with its reason and evidence."""
    row = memberships.end(session, ctx.actor, child_id=ctx.child_id, data=data, today=ctx.today)
    _audit(session, ctx, "membership_ended", row.id)
    return memberships.reads(session, [row])[0]


def add_support(session: Session, ctx: Context, data: SupportCreate) -> SupportRead:
    """Record support the child received."""
    row = support.add(
        session, ctx.actor, child=_child(session, ctx), data=data, now=ctx.now, today=ctx.today
    )
    _audit(session, ctx, "support_added", row.id)
    return next(s for s in support.of_child(session, child_id=ctx.child_id) if s.id == row.id)


def end_support(session: Session, ctx: Context, data: SupportEndIn) -> SupportRead:
    """Record the day an ongoing support stopped."""
    row = support.end(session, child_id=ctx.child_id, data=data, today=ctx.today)
    _audit(session, ctx, "support_ended", row.id)
    return next(s for s in support.of_child(session, child_id=ctx.child_id) if s.id == row.id)


def decide_proposal(session: Session, ctx: Context, data: ProposalDecision) -> int:
    """Confirm or dismiss a proposal from a case; returns the proposal's id."""
    proposal = proposals.decide(
        session, ctx.actor, child=_child(session, ctx), data=data, now=ctx.now, today=ctx.today
    )
    action = "proposal_confirmed" if data.decision == "confirm" else "proposal_dismissed"
    _audit(session, ctx, action, proposal.id)
    return proposal.id
