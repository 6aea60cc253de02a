"""The demo commune's register: children in several groups, one child at risk, support
received, and an open proposal from a case waiting for the caseworker."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from casework.children.models import ChildCircumstance
from casework.demo.seed import seed_demo
from casework.registry.models import ChildSupport, ProposalStatus, RegistryProposal


def test_the_demo_register_has_groups_an_at_risk_child_support_and_an_open_proposal(session, now):
    seed_demo(session, now=now, tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    rows = session.exec(select(ChildCircumstance).where(ChildCircumstance.until.is_(None))).all()
    assert len({r.group for r in rows if not r.at_risk}) >= 5
    assert len([r for r in rows if r.at_risk]) == 1
    assert len(session.exec(select(ChildSupport)).all()) >= 3
    open_ = session.exec(
        select(RegistryProposal).where(RegistryProposal.status == ProposalStatus.open)
    ).all()
    assert len(open_) >= 1
