"""The demo commune's register beyond the groups its children were recorded with: one child
at risk, support received by some children in special circumstances, and (when the demo's
cases made none) one open proposal from a case for the caseworker to decide."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from casework.accounts.auth import actor_of
from casework.cases.models import ProtectionCase
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup
from casework.demo.walk import Demo
from casework.registry import memberships, proposals, support
from casework.registry.models import ProposalStatus, RegistryProposal, SupportKind
from casework.registry.schemas import MembershipCreate, SupportCreate
from casework.timefmt import local_date

CASEWORKER = "canbo.hoa"
AT_RISK = ("dung", CircumstanceGroup.h, "Nghỉ học nhiều buổi, đi làm nương cùng gia đình")
# By group: the support the commune's children in that group typically receive.
SUPPORT = {
    CircumstanceGroup.a: (SupportKind.social_allowance, "UBND xã", 720_000),
    CircumstanceGroup.d: (SupportKind.health_insurance, "Bảo hiểm xã hội tỉnh", None),
    CircumstanceGroup.n: (SupportKind.tuition_exemption, "Trường THCS", None),
    CircumstanceGroup.l: (SupportKind.psychological, "Trung tâm công tác xã hội tỉnh", None),
}


def seed_register(demo: Demo, children: dict[str, Child]) -> None:
    """Add the at-risk child, the support and, if needed, one open proposal."""
    session, now = demo.session, demo.now
    actor = actor_of(demo.users[CASEWORKER])
    today = local_date(now, demo.tz)
    key, group, evidence = AT_RISK
    child = children[key]
    memberships.add(
        session,
        actor,
        child=child,
        data=MembershipCreate(
            group=group, at_risk=True, since=today - timedelta(days=20), evidence=evidence
        ),
        now=now,
        today=today,
    )
    ids = [c.id for c in children.values()]
    rows = session.exec(
        select(ChildCircumstance).where(
            ChildCircumstance.child_id.in_(ids), ChildCircumstance.at_risk.is_(False)
        )
    ).all()
    by_id = {c.id: c for c in children.values()}
    for row in rows:
        if row.group not in SUPPORT:
            continue
        kind, provider, amount = SUPPORT[row.group]
        support.add(
            session,
            actor,
            child=by_id[row.child_id],
            data=SupportCreate(kind=kind, since=row.since, provider=provider, amount_vnd=amount),
            now=now,
            today=today,
        )
    _one_open_proposal(session, children=children, now=now)


def _one_open_proposal(session: Session, *, children: dict[str, Child], now: datetime) -> None:
    ids = [c.id for c in children.values()]
    already = session.exec(
        select(RegistryProposal).where(
            RegistryProposal.child_id.in_(ids), RegistryProposal.status == ProposalStatus.open
        )
    ).first()
    if already is not None:
        return
    case = session.exec(
        select(ProtectionCase)
        .where(ProtectionCase.child_id.in_(ids), ProtectionCase.substantiated.is_(True))
        .order_by(ProtectionCase.opened_at)
    ).first()
    if case is None:
        return
    group = CircumstanceGroup.i
    if memberships.current(session, child_id=case.child_id, group=group, at_risk=False):
        return
    proposals.propose(session, case=case, group=group, source="assessment", now=now)
    session.flush()
