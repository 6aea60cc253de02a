"""The import's writes for the children target: the rows ``children.match`` planned,
written in bulk in the import's one transaction.

New children get their ids first (``bulk.reserve_ids``), so their caregivers and groups
need no RETURNING round trip; every table then goes in one ``bulk.insert_rows`` (COPY on
PostgreSQL). The ORM's hooks are bypassed, so the data-quality flags are refreshed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from casework import bulk, text
from casework.children.models import Caregiver, Child, ChildCircumstance
from casework.registry import quality_flags
from casework.registry.imports.children import Planned
from casework.registry.imports.rows import Written

_C = Child.__table__
_M = ChildCircumstance.__table__


def write(
    session: Session,
    planned: Sequence[Planned],
    *,
    commune_id: int,
    user_id: int,
    today: date,
    now: datetime,
    evidence: str,
    **_: Any,
) -> Written:
    """The planned rows written in bulk: the children's ids reserved, then each table in
    one pass of ``bulk.insert_rows`` (COPY on PostgreSQL)."""
    new = [p for p in planned if p.existing_id is None]
    for p, child_id in zip(new, bulk.reserve_ids(session, _C, len(new)), strict=True):
        p.existing_id = child_id
    bulk.insert_rows(session, _C, [_child_values(p, commune_id=commune_id, now=now) for p in new])
    bulk.insert_rows(session, Caregiver.__table__, [c for p in new for c in _caregivers(p)])
    memberships = [
        {"child_id": p.existing_id, "group": g.value, "subgroup": None, "at_risk": False,
         "since": today, "until": None, "evidence": evidence, "decided_by_id": user_id,
         "source_case_id": None, "ended_reason": None, "end_evidence": None,
         "ended_by_id": None, "recorded_at": now}
        for p in planned
        for g in p.new_groups
    ]  # fmt: skip
    bulk.insert_rows(session, _M, memberships)
    # Core inserts pass the ORM's hook: the data-quality list sees the new children now.
    quality_flags.refresh(session, [p.existing_id for p in new if p.existing_id is not None])
    return Written(created=len(new), linked=len(planned) - len(new), groups=len(memberships))


def _child_values(p: Planned, *, commune_id: int, now: datetime) -> dict[str, Any]:
    data = p.data
    return {
        "id": p.existing_id, "commune_id": commune_id, "full_name": data.full_name,
        "name_key": p.name_key, "sort_key": text.sort_key(data.full_name),
        "personal_id": data.personal_id, "date_of_birth": data.born, "birth_year": data.year,
        "sex": data.sex.value, "ethnicity": data.ethnicity, "village_id": p.village_id,
        "address": data.address, "school_name": None, "grade": None,
        "disability_level": "none", "poverty_status": "none", "merged_into_id": None,
        "created_at": now, "updated_at": now, "version": 1,
    }  # fmt: skip


def _caregivers(p: Planned) -> list[dict[str, Any]]:
    """The caregiver (or mother, or father) first: the phone is theirs."""
    people = [(p.data.caregiver, "người chăm sóc"), (p.data.mother, "mẹ"), (p.data.father, "bố")]
    found = []
    for name, relation in people:
        if name:
            phone = p.data.phone if not found else None
            found.append(
                {"child_id": p.existing_id, "full_name": name, "relation": relation, "phone": phone}
            )
    return found
