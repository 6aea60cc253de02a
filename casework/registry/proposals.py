"""From cases to the register: a substantiated harm that matches a group becomes a proposal.

When the initial assessment finds a report true (``complete_assessment`` with
``substantiated``) or a case closes as resolved, each form of harm its reports named that
matches a group (``HARM_GROUPS``) becomes an open ``RegistryProposal`` row, written in the
transaction of that event (``on_step``, called where the case flow persists a step). It is
never a membership by itself: adding a child to a group is a legal classification, so the
caseworker confirms it (a membership row with the source case and who decided) or
dismisses it with a reason. No proposal is made for a group the child is already in now,
nor a second open one for the same child and group.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.actors import Actor
from casework.cases.models import ProtectionCase
from casework.children.models import Child, CircumstanceGroup
from casework.errors import Conflict, FieldError, InvalidInput, NotFound
from casework.intake.models import HarmForm, Report, ReportHarmForm
from casework.registry import memberships
from casework.registry.models import ProposalStatus, RegistryProposal
from casework.registry.schemas import MembershipCreate, ProposalDecision, ProposalRead
from workflows.effects import Step

# Luật Trẻ em Đ10: i) seriously harmed by violence (whether the harm is serious is the
# caseworker's judgement, made when confirming), k) exploited, l) sexually abused,
# m) trafficked, b) abandoned.
HARM_GROUPS: dict[HarmForm, CircumstanceGroup] = {
    HarmForm.violence: CircumstanceGroup.i,
    HarmForm.exploitation: CircumstanceGroup.k,
    HarmForm.sexual_abuse: CircumstanceGroup.l,
    HarmForm.trafficking: CircumstanceGroup.m,
    HarmForm.abandonment_neglect: CircumstanceGroup.b,
}


class ProposalNotFound(NotFound):
    code = "proposal_not_found"


class ProposalDecided(Conflict):
    code = "proposal_decided"


def _source(case: ProtectionCase, step: Step) -> str | None:
    if not case.substantiated:
        return None
    if step.event == "complete_assessment":
        return "assessment"
    if step.event == "close" and case.closure_reason == "resolved":
        return "closure"
    return None


def on_step(session: Session, *, case: ProtectionCase, step: Step, now: datetime) -> int:
    """The proposals a step of ``case`` makes to the register; returns how many."""
    source = _source(case, step)
    if source is None:
        return 0
    forms = session.exec(
        select(ReportHarmForm.form)
        .join(Report, Report.id == ReportHarmForm.report_id)
        .where(Report.case_id == case.id)
        .distinct()
    ).all()
    wanted = {HARM_GROUPS[HarmForm(f)] for f in forms if HarmForm(f) in HARM_GROUPS}
    made = 0
    for group in sorted(wanted):
        if memberships.current(session, child_id=case.child_id, group=group, at_risk=False):
            continue
        if _open(session, child_id=case.child_id, group=group) is not None:
            continue
        propose(session, case=case, group=group, source=source, now=now)
        made += 1
    session.flush()
    return made


def propose(
    session: Session, *, case: ProtectionCase, group: CircumstanceGroup, source: str, now: datetime
) -> RegistryProposal:
    """An open proposal of ``group`` for the child of ``case`` (the caller checked that the
    child is not in the group and has no open proposal of it)."""
    proposal = RegistryProposal(
        commune_id=case.commune_id,
        child_id=case.child_id,
        case_id=case.id,
        group=group,
        source=source,
        created_at=now,
    )
    session.add(proposal)
    return proposal


def _open(session: Session, *, child_id: int, group: CircumstanceGroup) -> RegistryProposal | None:
    return session.exec(
        select(RegistryProposal).where(
            RegistryProposal.child_id == child_id,
            RegistryProposal.group == group,
            RegistryProposal.status == ProposalStatus.open,
        )
    ).first()


_P = RegistryProposal.__table__
_DECIDE = (
    _P.update()
    .where(_P.c.id == sa.bindparam("b_id"), _P.c.status == ProposalStatus.open.value)
    .values(
        status=sa.bindparam("v_status"),
        decided_by_id=sa.bindparam("v_by"),
        decided_at=sa.bindparam("v_at"),
        reason=sa.bindparam("v_reason"),
        membership_id=sa.bindparam("v_membership"),
    )
)


def decide(
    session: Session,
    actor: Actor,
    *,
    child: Child,
    data: ProposalDecision,
    now: datetime,
    today: date,
) -> RegistryProposal:
    """Confirm the open proposal (the membership is created, naming the case and the
    person) or dismiss it with the reason given. Decided once: a second decision, or one
    made at the same time by someone else, is a conflict."""
    proposal = session.get(RegistryProposal, data.proposal_id)
    if proposal is None or proposal.child_id != child.id:
        raise ProposalNotFound(proposal_id=data.proposal_id)
    if proposal.status != ProposalStatus.open:
        raise ProposalDecided()
    membership_id = None
    if data.decision == "confirm":
        if data.since is None:
            raise InvalidInput([FieldError(("since",), "missing")])
        entry = MembershipCreate(
            group=proposal.group, subgroup=data.subgroup, since=data.since, evidence=data.evidence
        )
        row = memberships.add(
            session, actor, child=child, data=entry, now=now, today=today,
            source_case_id=proposal.case_id,
        )  # fmt: skip
        membership_id = row.id
    status = ProposalStatus.confirmed if data.decision == "confirm" else ProposalStatus.dismissed
    written = session.connection().execute(
        _DECIDE,
        {
            "b_id": proposal.id,
            "v_status": status.value,
            "v_by": actor.user_id,
            "v_at": now,
            "v_reason": data.reason if data.decision == "dismiss" else None,
            "v_membership": membership_id,
        },
    )
    if written.rowcount != 1:
        raise ProposalDecided()
    session.refresh(proposal)
    return proposal


def _reads(session: Session, statement: sa.Select[tuple[RegistryProposal]]) -> list[ProposalRead]:
    rows = session.exec(statement).all()  # type: ignore[call-overload]
    children = {
        cid: name
        for cid, name in session.exec(
            select(Child.id, Child.full_name).where(Child.id.in_({p.child_id for p in rows}))
        ).all()
    } if rows else {}  # fmt: skip
    codes = memberships.case_codes(session, [p.case_id for p in rows])
    names = memberships.names_of(session, [p.decided_by_id for p in rows])
    return [
        ProposalRead(
            id=p.id,
            child_id=p.child_id,
            child_name=children.get(p.child_id, ""),
            case_code=codes.get(p.case_id) if p.case_id else None,
            group=p.group,
            source=p.source,
            status=p.status,
            created_at=p.created_at,
            decided_by=names.get(p.decided_by_id) if p.decided_by_id else None,
            decided_at=p.decided_at,
            reason=p.reason,
        )
        for p in rows
    ]


def of_child(session: Session, *, child_id: int) -> list[ProposalRead]:
    """The child's proposals, open ones first, newest first."""
    return _reads(
        session,
        select(RegistryProposal)
        .where(RegistryProposal.child_id == child_id)
        .order_by(
            RegistryProposal.status != ProposalStatus.open.value,
            RegistryProposal.created_at.desc(),
            RegistryProposal.id.desc(),
        ),
    )


def open_in_commune(session: Session, *, commune_id: int) -> list[ProposalRead]:
    """The commune's open proposals, oldest first: the caseworker's list to decide."""
    return _reads(
        session,
        select(RegistryProposal)
        .where(
            RegistryProposal.commune_id == commune_id,
            RegistryProposal.status == ProposalStatus.open,
        )
        .order_by(RegistryProposal.created_at, RegistryProposal.id),
    )
