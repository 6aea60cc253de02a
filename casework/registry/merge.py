"""Two records of the same child made one, and the supervisor's undo.

The caseworker picks the record to keep and, field by field where the two differ, whose
value to keep. Every row pointing at the other record (cases, reports, caregivers,
memberships, support, proposals: found from the tables' foreign keys, so a table added
later moves too) is re-pointed at the kept one; the other record stays, with
``merged_into_id``, so old links and exports resolve. ``ChildMerge`` records exactly
what moved and what was replaced: the undo puts back that, and only that.

Refused with a reason a person can act on: two open cases (one child has at most one;
close one first), two memberships or proposals that may exist once per child, a record
changed since it was compared (version), a record already merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from casework.actors import Actor
from casework.cases.models import CaseStatus, ProtectionCase
from casework.children import service as child_service
from casework.children.models import Child, DisabilityLevel, PovertyStatus, Sex
from casework.errors import Conflict, NotFound
from casework.registry import quality_flags
from casework.registry.models import ChildMerge
from casework.registry.register_schemas import MERGE_FIELDS, MergeComparison, MergeIn, MergeSide

# Columns pointing at a child that a merge leaves where they are, and why.
NOT_MOVED: dict[tuple[str, str], str] = {
    ("child", "merged_into_id"): "the pointer a merge sets; a record merged earlier stays so",
    ("child_merge", "kept_id"): "the merge's own record of what it did",
    ("child_merge", "merged_id"): "the merge's own record of what it did",
    ("child_quality", "child_id"): "derived from each record: recomputed for both after",
}
# The columns each detail a person chooses carries (the others: the column of its name).
CARRIED = {
    "full_name": ("full_name", "name_key", "sort_key"),
    "birth": ("date_of_birth", "birth_year"),
}
FIELDS: dict[str, tuple[str, ...]] = {name: CARRIED.get(name, (name,)) for name in MERGE_FIELDS}
_TYPES = {"sex": Sex, "disability_level": DisabilityLevel, "poverty_status": PovertyStatus}


class MergeRefused(Conflict):
    code = "merge_refused"


class RecordChanged(Conflict):
    code = "merge_record_changed"


class TwoOpenCases(Conflict):
    code = "merge_two_open_cases"


class SameRowTwice(Conflict):
    code = "merge_collision"


class NotMerged(Conflict):
    code = "merge_not_merged"


class PersonalIdTaken(Conflict):
    code = "merge_undo_id_taken"


def referencing_columns(metadata: sa.MetaData = SQLModel.metadata) -> list[tuple[str, str]]:
    """Every (table, column) with a foreign key to ``child.id``, in table order."""
    return sorted(
        (table.name, fk.parent.name)
        for table in metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "child" and fk.column.name == "id"
    )


def moved_columns(metadata: sa.MetaData = SQLModel.metadata) -> list[tuple[str, str]]:
    """The columns whose rows follow the child to the kept record."""
    return [ref for ref in referencing_columns(metadata) if ref not in NOT_MOVED]


def _rows_of(session: Session, child_id: int, ref: tuple[str, str]) -> list[int]:
    table = SQLModel.metadata.tables[ref[0]]
    column = table.c[ref[1]]
    return list(
        session.execute(
            sa.select(table.c.id).where(column == child_id).order_by(table.c.id)
        ).scalars()
    )


def _repoint(session: Session, ref: tuple[str, str], ids: Sequence[int], to: int) -> None:
    table = SQLModel.metadata.tables[ref[0]]
    session.execute(sa.update(table).where(table.c.id.in_(ids)).values({ref[1]: to}))


def counts(session: Session, *, child_id: int) -> dict[str, int]:
    """How many rows of each table point at the child (what a merge would move)."""
    found: dict[str, int] = {}
    for ref in moved_columns():
        table = SQLModel.metadata.tables[ref[0]]
        n = session.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c[ref[1]] == child_id)
        ).scalar_one()
        if n:
            found[ref[0]] = found.get(ref[0], 0) + n
    return found


def open_cases(session: Session, *, child_ids: Sequence[int]) -> list[str]:
    return list(
        session.execute(
            sa.select(ProtectionCase.code)
            .where(
                ProtectionCase.child_id.in_(child_ids),
                ProtectionCase.status != CaseStatus.closed,
            )
            .order_by(ProtectionCase.code)
        ).scalars()
    )


def _locked(session: Session, scope: sa.ColumnElement[bool], ids: Sequence[int]) -> list[Child]:
    """The records, locked in id order (two merges of the same pair never deadlock)."""
    found = session.exec(
        select(Child).where(Child.id.in_(ids), scope).order_by(Child.id).with_for_update()
    ).all()
    if len(found) != len(set(ids)):
        raise NotFound()
    return list(found)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _from_json(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column == "date_of_birth":
        return date.fromisoformat(value)
    return _TYPES[column](value) if column in _TYPES else value


def lock_pair(
    session: Session, *, scope: sa.ColumnElement[bool], data: MergeIn
) -> tuple[Child, Child]:
    """The kept and the other record as compared (versions), neither merged yet."""
    children = {c.id: c for c in _locked(session, scope, [data.keep_id, data.other_id])}
    keep, other = children[data.keep_id], children[data.other_id]
    if keep.version != data.keep_version or other.version != data.other_version:
        raise RecordChanged()
    if keep.merged_into_id is not None or other.merged_into_id is not None:
        raise MergeRefused()
    return keep, other


def merge(
    session: Session, actor: Actor, *, scope: sa.ColumnElement[bool], data: MergeIn, now: datetime
) -> ChildMerge:
    """Merge ``data.other_id`` into ``data.keep_id``: the chosen values on the kept record,
    every row pointing at the other moved to it, the other left as a pointer."""
    keep, other = lock_pair(session, scope=scope, data=data)
    both_open = open_cases(session, child_ids=[keep.id, other.id])
    if len(both_open) > 1:
        raise TwoOpenCases(codes=", ".join(both_open))
    moved: dict[str, list[int]] = {}
    try:
        with session.begin_nested():
            for ref in moved_columns():
                ids = _rows_of(session, other.id, ref)
                if ids:
                    _repoint(session, ref, ids, keep.id)
                    moved[".".join(ref)] = ids
    except IntegrityError as exc:
        raise SameRowTwice() from exc
    taken = [name for name, chosen in data.take.items() if chosen == other.id]
    kept_before = {
        column: _json(getattr(keep, column)) for name in taken for column in FIELDS[name]
    }
    merged_before = {"personal_id": other.personal_id}
    values = {column: getattr(other, column) for name in taken for column in FIELDS[name]}
    other.personal_id = None  # an id names one record; the pointer keeps none
    other.merged_into_id = keep.id
    other.updated_at = now
    session.flush()
    for column, value in values.items():
        setattr(keep, column, value)
    keep.updated_at = now
    record = ChildMerge(
        kept_after={column: _json(value) for column, value in values.items()},
        commune_id=keep.commune_id,
        kept_id=keep.id,
        merged_id=other.id,
        merged_by_id=actor.user_id,
        merged_at=now,
        kept_before=kept_before,
        merged_before=merged_before,
        moved=moved,
    )
    session.add(record)
    session.flush()
    quality_flags.refresh(session, [keep.id, other.id])  # caregivers moved around the ORM
    return record


def undo(
    session: Session, actor: Actor, *, scope: sa.ColumnElement[bool], child_id: int, now: datetime
) -> ChildMerge:
    """Undo the merge of record ``child_id`` (the one merged away): both records as they
    were, and exactly the rows that moved back on it."""
    record = session.exec(
        select(ChildMerge)
        .where(ChildMerge.merged_id == child_id, ChildMerge.undone_at.is_(None))
        .order_by(ChildMerge.id.desc())
    ).first()
    if record is None:
        _locked(session, scope, [child_id])  # 404 if not theirs to see
        raise NotMerged()
    children = {c.id: c for c in _locked(session, scope, [record.kept_id, record.merged_id])}
    keep, other = children[record.kept_id], children[record.merged_id]
    if other.merged_into_id != keep.id or keep.merged_into_id is not None:
        raise NotMerged()
    try:
        with session.begin_nested():
            for key, ids in record.moved.items():
                table, column = key.split(".")
                _repoint(session, (table, column), ids, other.id)
    except IntegrityError as exc:
        raise SameRowTwice() from exc
    for column, value in record.kept_before.items():
        if _json(getattr(keep, column)) == record.kept_after.get(column):  # not corrected since
            setattr(keep, column, _from_json(column, value))
    keep.updated_at = now
    session.flush()  # frees the personal id the kept record took, if it did
    old_id = record.merged_before.get("personal_id")
    holder = session.exec(
        select(Child.id).where(Child.personal_id == old_id, Child.id != other.id)
    ).first()
    if old_id is not None and holder is not None:  # given to a child since: say so, undo nothing
        raise PersonalIdTaken(child_id=holder)
    other.personal_id = old_id  # type: ignore[assignment]
    other.merged_into_id = None
    other.updated_at = now
    record.undone_at = now
    record.undone_by_id = actor.user_id
    session.add(record)
    session.flush()
    quality_flags.refresh(session, [keep.id, other.id])
    return record


def resolve(session: Session, *, child_id: int) -> int:
    """The record a link to ``child_id`` now means: itself, or the record it was merged
    into (followed while records were merged again)."""
    seen = {child_id}
    current = child_id
    while True:
        target = session.execute(
            sa.select(Child.merged_into_id).where(Child.id == current)
        ).scalar_one_or_none()
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target


def _differs(first: Child, second: Child, name: str) -> bool:
    return tuple(getattr(first, c) for c in FIELDS[name][:2]) != tuple(
        getattr(second, c) for c in FIELDS[name][:2]
    )


def compare(
    session: Session, *, scope: sa.ColumnElement[bool], first_id: int, second_id: int
) -> MergeComparison:
    """The two records side by side: their data, what points at each, the fields that
    differ, and whether they can be merged as they are (open cases)."""
    if first_id == second_id:
        raise MergeRefused()
    found = session.exec(select(Child).where(Child.id.in_([first_id, second_id]), scope)).all()
    children = {child.id: child for child in found}
    if len(children) != 2:
        raise NotFound()
    first, second = children[first_id], children[second_id]
    sides = []
    for child in (first, second):
        cases = open_cases(session, child_ids=[child.id])
        sides.append(
            MergeSide(
                record=child_service.read(session, child=child),
                version=child.version,
                merged_into_id=child.merged_into_id,
                rows=counts(session, child_id=child.id),
                open_case=cases[0] if cases else None,
            )
        )
    return MergeComparison(
        first=sides[0],
        second=sides[1],
        differ=[name for name in FIELDS if _differs(first, second, name)],
    )
