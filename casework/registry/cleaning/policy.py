"""Who sees which cleaning loop, and how much of it (need-to-know, NĐ56 Đ33).

The commune's caseworkers and supervisor see every loop of the commune in full. A step's
holder sees the loop only while the step is theirs: the village's board (its head, its
collaborators) while the household visit is due, the commune police while the
verification is due; and then only the child's name, birth year, village and what is
missing or wrong, never a case. Anyone else gets a 404, as for a loop that does not exist.
"""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from casework.actors import Actor
from casework.authz.policy import FULL_CASE_ROLES, RULES, Action
from casework.registry.cleaning.models import CleaningLoop, CleaningState


class LoopView(StrEnum):
    full = "full"  # the caseworker and supervisor: everything, and the update step
    visit = "visit"  # the village: what the household visit needs
    verify = "verify"  # the police: the fields to verify, and what the visit found


def loop_view(actor: Actor, loop: CleaningLoop) -> LoopView | None:
    """How much of ``loop`` the person sees; None: nothing (404)."""
    if actor.commune_id is None or actor.commune_id != loop.commune_id:
        return None
    if actor.role in FULL_CASE_ROLES:
        return LoopView.full
    if actor.agency_id is None or actor.role not in RULES[Action.cleaning_task].roles:
        return None
    if loop.state == CleaningState.visit and actor.agency_id == loop.village_agency_id:
        return LoopView.visit
    if loop.state == CleaningState.verify and actor.agency_id == loop.police_agency_id:
        return LoopView.verify
    return None


def held_by(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``CleaningLoop``: the steps waiting on the person's own agency."""
    if actor.commune_id is None or actor.agency_id is None:
        return sa.false()
    if actor.role not in RULES[Action.cleaning_task].roles:
        return sa.false()
    return sa.and_(
        CleaningLoop.commune_id == actor.commune_id,
        sa.or_(
            sa.and_(
                CleaningLoop.state == CleaningState.visit,
                CleaningLoop.village_agency_id == actor.agency_id,
            ),
            sa.and_(
                CleaningLoop.state == CleaningState.verify,
                CleaningLoop.police_agency_id == actor.agency_id,
            ),
        ),
    )


def managed_by(actor: Actor) -> ColumnElement[bool]:
    """Condition on ``CleaningLoop``: every loop of the commune, for those who see in full."""
    if actor.commune_id is None or actor.role not in FULL_CASE_ROLES:
        return sa.false()
    return CleaningLoop.commune_id == actor.commune_id
