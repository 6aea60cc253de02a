"""A child's part of the register, read in one call for the child's page and the API."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from casework.children.models import Child
from casework.registry import memberships, proposals, support
from casework.registry.schemas import ChildRegister


def child_register(session: Session, *, child_id: int, today: date) -> ChildRegister:
    """The child's groups now, at-risk marks now, ended periods, support received, proposals
    from cases, and the ends a coming 16th or 18th birthday suggests."""
    child = session.get_one(Child, child_id)
    rows = memberships.of_child(session, child_id=child_id)
    shown = memberships.reads(session, rows)
    return ChildRegister(
        child_id=child_id,
        current=[m for m in shown if m.until is None and not m.at_risk],
        at_risk=[m for m in shown if m.until is None and m.at_risk],
        history=[m for m in shown if m.until is not None],
        support=support.of_child(session, child_id=child_id),
        proposals=proposals.of_child(session, child_id=child_id),
        proposed_ends=memberships.proposed_ends(child, rows, today),
    )
