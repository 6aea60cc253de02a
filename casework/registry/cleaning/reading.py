"""What each holder is shown of a loop: the step's holder only what the step needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from casework.base import Lang, label
from casework.children.models import Child, Sex
from casework.communes.models import Village
from casework.deadlines.models import Deadline, DeadlineStatus
from casework.registry.cleaning.models import CleaningLoop
from casework.registry.cleaning.policy import LoopView
from casework.registry.cleaning.schemas import LoopBrief, LoopRead, VisitRead
from casework.registry.quality import Problem


def _problem_labels(problems: Sequence[str], lang: Lang) -> list[str]:
    known = {p.value for p in Problem}
    return [label(Problem(p), lang) if p in known else p for p in problems]


def _due(session: Session, instance_ids: list[int]) -> dict[int, datetime]:
    """The running step clock's due time of each instance (the step's deadline)."""
    if not instance_ids:
        return {}
    rows = session.execute(
        sa.select(Deadline.instance_id, sa.func.min(Deadline.due_at))
        .where(Deadline.instance_id.in_(instance_ids), Deadline.status == DeadlineStatus.running)
        .group_by(Deadline.instance_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def briefs(
    session: Session, loops: Sequence[CleaningLoop], *, lang: Lang = "vi"
) -> list[LoopBrief]:
    """Each loop with the child's name, birth year and village: one query for all."""
    ids = [loop.child_id for loop in loops]
    rows = session.execute(
        sa.select(Child.id, Child.full_name, Child.birth_year, Village.name)
        .outerjoin(Village, Village.id == Child.village_id)
        .where(Child.id.in_(ids))
    ).all()
    children = {row[0]: row[1:] for row in rows}
    due = _due(session, [loop.instance_id for loop in loops if loop.instance_id is not None])
    return [
        LoopBrief(
            id=loop.id,
            state=loop.state,
            full_name=children[loop.child_id][0],
            birth_year=children[loop.child_id][1],
            village=children[loop.child_id][2],
            problems=list(loop.problems),
            problem_labels=_problem_labels(loop.problems, lang),
            due_at=due.get(loop.instance_id) if loop.instance_id is not None else None,
        )
        for loop in loops
    ]


def read(session: Session, loop: CleaningLoop, view: LoopView, *, lang: Lang = "vi") -> LoopRead:
    """The loop as ``view`` may see it: the village its brief only; the police the brief
    and what the household's papers said; the caseworker everything and the record."""
    brief = briefs(session, [loop], lang=lang)[0]
    found = LoopRead(**brief.model_dump())
    if view == LoopView.visit:
        return found
    found.visit = VisitRead(
        personal_id=loop.visit_personal_id,
        birth_certificate=loop.visit_birth_certificate,
        date_of_birth=loop.visit_date_of_birth,
        father=loop.visit_father,
        mother=loop.visit_mother,
        note=loop.visit_note,
        visited_at=loop.visited_at,
    )
    if view == LoopView.verify:
        return found
    child = session.get_one(Child, loop.child_id)
    found.verified_personal_id = loop.verified_personal_id
    found.verified_date_of_birth = loop.verified_date_of_birth
    found.verified_sex = Sex(loop.verified_sex) if loop.verified_sex else None
    found.verify_note = loop.verify_note
    found.child_id, found.child_version = child.id, child.version
    found.record_personal_id = child.personal_id
    found.record_date_of_birth, found.record_sex = child.date_of_birth, Sex(child.sex)
    return found
