"""Register a child without a report, and correct a child's record.

Both keep the rules intake keeps (``casework.children.rules``: the birth, under 18, the
personal id against the record and its province), resolve the village as intake does, and
refuse a personal id already recorded for another child. Registering first looks for the
same child among the commune's (the folded name and a birth year within one): a possible
duplicate is refused until the person confirms this is another child. A correction names
the version it was made on: one made on an older version is refused with who changed the
record, what and when (read from the audit log, which records each change's fields), and
nothing is saved. The child and the caregivers change in the caller's one transaction,
with its audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from casework import text
from casework.accounts.models import User
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction, AuditEntry
from casework.audit.service import Origin, Record
from casework.children import rules
from casework.children import service as child_service
from casework.children.editing_schemas import ChildPatch, ChildRecord, ChildRegister
from casework.children.models import Caregiver, Child
from casework.children.schemas import ChildFields, ChildSummary
from casework.communes.models import Village
from casework.errors import Conflict, FieldError, InvalidInput, from_pydantic
from casework.messages import field_label
from casework.timefmt import as_utc, local_date

FIELDS = (
    "full_name",
    "personal_id",
    "date_of_birth",
    "birth_year_estimate",
    "sex",
    "ethnicity",
    "village",
    "address",
    "school_name",
    "grade",
    "disability_level",
    "poverty_status",
    "caregivers",
)
SHOWN_AT = "%H:%M %d/%m/%Y"


class PossibleDuplicates(Conflict):
    """Children of the commune who may be the one being registered (409)."""

    code = "possible_duplicate"

    def __init__(self, candidates: Sequence[ChildSummary]) -> None:
        super().__init__(count=len(candidates))
        self.candidates = list(candidates)


@dataclass(frozen=True)
class LastChange:
    """Who last registered or corrected a record, when, and which fields."""

    version: int
    who: str | None
    at: datetime
    fields: list[str]


class ChildChanged(Conflict):
    """The record changed since the version the correction was made on (409)."""

    code = "child_changed"

    def __init__(self, change: LastChange, tz: ZoneInfo) -> None:
        names = {lang: [field_label(name, lang) for name in change.fields] for lang in ("vi", "en")}
        super().__init__(
            who=change.who or "người khác",
            who_en=change.who or "someone else",
            at=change.at.astimezone(tz).strftime(SHOWN_AT),
            fields=", ".join(names["vi"]) or "thông tin của trẻ",
            fields_en=", ".join(names["en"]) or "the child's details",
        )
        self.change = change


def _taken(
    session: Session, *, commune_id: int, personal_id: str | None, child_id: int | None
) -> list[FieldError]:
    """A personal id already recorded for another child (of this commune: named)."""
    if personal_id is None:
        return []
    owner = child_service.get_by_personal_id(session, personal_id=personal_id)
    if owner is None or owner.id == child_id:
        return []
    if owner.commune_id != commune_id:
        return [FieldError(("personal_id",), "personal_id_taken_elsewhere")]
    return [FieldError(("personal_id",), "personal_id_taken", {"child_id": owner.id})]


def _checked(
    session: Session,
    *,
    commune_id: int,
    data: ChildFields,
    child_id: int | None,
    now: datetime,
    tz: ZoneInfo,
) -> Village | None:
    """Every rule of the record, the village and the personal id, refused together."""
    errors = rules.record_problems(data.model_dump(), at=(), today=local_date(now, tz))
    village = None
    try:
        village = child_service.resolve_village(
            session, commune_id=commune_id, name=data.village, loc=("village",)
        )
    except InvalidInput as exc:
        errors.extend(exc.errors())
    errors.extend(
        _taken(session, commune_id=commune_id, personal_id=data.personal_id, child_id=child_id)
    )
    if errors:
        raise InvalidInput(errors)
    return village


def register_child(
    session: Session,
    actor: Actor,
    *,
    data: ChildRegister,
    origin: Origin,
    now: datetime,
    tz: ZoneInfo,
) -> Child:
    """Register a child of the actor's commune without a report.

    ``PossibleDuplicates`` while the commune has a child of the same folded name and a
    birth year within one, unless ``confirm_not_duplicate``; the audit entry then keeps
    which children the person said this one is not.
    """
    assert actor.commune_id is not None  # the policy lets only a commune's people register
    village = _checked(
        session, commune_id=actor.commune_id, data=data, child_id=None, now=now, tz=tz
    )
    birth_year = data.date_of_birth.year if data.date_of_birth else data.birth_year_estimate
    assert birth_year is not None  # the rules require one of them
    candidates = child_service.similar_children(
        session, commune_id=actor.commune_id, full_name=data.full_name, birth_year=birth_year
    )
    if candidates and not data.confirm_not_duplicate:
        raise PossibleDuplicates(candidates)
    child = child_service.create_child(
        session,
        commune_id=actor.commune_id,
        data=data,
        village_id=village.id if village else None,
        now=now,
    )
    detail: dict[str, Any] = {"fields": [name for name in FIELDS if _given(data, name)]}
    if candidates:
        detail["not_duplicate_of"] = [candidate.id for candidate in candidates]
    audit_service.append(
        session,
        actor,
        Record(AuditAction.create, "child", str(child.id), detail=detail),
        origin=origin,
        now=now,
    )
    return child


def _given(data: ChildFields, name: str) -> bool:
    value = getattr(data, name)
    return value not in (None, [], "")


def current_fields(session: Session, child: Child) -> dict[str, Any]:
    """The record as the fields of ``ChildFields`` (what a correction starts from)."""
    village = session.get(Village, child.village_id) if child.village_id else None
    caregivers = session.exec(
        select(Caregiver).where(Caregiver.child_id == child.id).order_by(Caregiver.id)
    ).all()
    return {
        "full_name": child.full_name,
        "personal_id": child.personal_id,
        "date_of_birth": child.date_of_birth,
        "birth_year_estimate": None if child.date_of_birth else child.birth_year,
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "village": village.name if village else None,
        "address": child.address,
        "school_name": child.school_name,
        "grade": child.grade,
        "disability_level": child.disability_level,
        "poverty_status": child.poverty_status,
        "caregivers": [
            {"full_name": c.full_name, "relation": c.relation, "phone": c.phone} for c in caregivers
        ],
    }


def last_change(session: Session, child: Child) -> LastChange:
    """Who last registered or corrected ``child`` through the register, from the audit
    log; a change made elsewhere (an intake) is known only by its time."""
    entry = session.exec(
        select(AuditEntry)
        .where(
            AuditEntry.subject_type == "child",
            AuditEntry.subject_id == str(child.id),
            AuditEntry.action.in_([AuditAction.create.value, AuditAction.update.value]),
            AuditEntry.outcome == "ok",
        )
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    updated_at = as_utc(child.updated_at)
    if entry is None or as_utc(entry.at) < updated_at:
        return LastChange(child.version, None, updated_at, [])
    person = session.get(User, entry.actor_id) if entry.actor_id is not None else None
    fields = entry.detail.get("fields") if isinstance(entry.detail, dict) else None
    return LastChange(
        child.version,
        person.full_name if person else entry.username,
        as_utc(entry.at),
        [str(name) for name in fields] if isinstance(fields, list) else [],
    )


def edit_child(
    session: Session,
    actor: Actor,
    *,
    child_id: int,
    patch: ChildPatch,
    origin: Origin,
    now: datetime,
    tz: ZoneInfo,
) -> Child:
    """Correct the (locked) record: the patch over the record, judged as a whole by the
    rules of a new one. ``ChildChanged`` when ``patch.version`` is not the record's."""
    child = session.exec(select(Child).where(Child.id == child_id).with_for_update()).one()
    if patch.version != child.version:
        raise ChildChanged(last_change(session, child), tz)
    before = current_fields(session, child)
    merged = {**before, **{name: getattr(patch, name) for name in patch.changes()}}
    # null clears: an optional field, or back to its default; a required one is then missing
    merged = {name: value for name, value in merged.items() if value is not None}
    try:
        data = ChildFields.model_validate(merged)
    except ValidationError as exc:
        raise InvalidInput([from_pydantic(error) for error in exc.errors()]) from None
    village = _checked(
        session, commune_id=child.commune_id, data=data, child_id=child.id, now=now, tz=tz
    )
    after = data.model_dump()
    changed = [name for name in FIELDS if after[name] != before[name]]
    if changed:
        _apply(session, child, data, village_id=village.id if village else None, now=now)
        if "caregivers" in changed:
            session.execute(sa.delete(Caregiver).where(Caregiver.child_id == child.id))
            session.add_all(Caregiver(child_id=child.id, **c.model_dump()) for c in data.caregivers)
        session.flush()
    audit_service.append(
        session,
        actor,
        Record(
            AuditAction.update,
            "child",
            str(child.id),
            detail={"fields": changed, "from_version": patch.version, "version": child.version},
        ),
        origin=origin,
        now=now,
    )
    return child


def _apply(
    session: Session, child: Child, data: ChildFields, *, village_id: int | None, now: datetime
) -> None:
    birth_year = data.date_of_birth.year if data.date_of_birth else data.birth_year_estimate
    assert birth_year is not None
    child.full_name = data.full_name
    child.name_key = text.fold(data.full_name)
    child.sort_key = text.sort_key(data.full_name)
    child.personal_id = data.personal_id
    child.date_of_birth = data.date_of_birth
    child.birth_year = birth_year
    child.sex = data.sex
    child.ethnicity = data.ethnicity
    child.village_id = village_id
    child.address = data.address
    child.school_name = data.school_name
    child.grade = data.grade
    child.disability_level = data.disability_level
    child.poverty_status = data.poverty_status
    child.updated_at = now
    flag_modified(child, "updated_at")  # the row is written, so its version moves on
    session.add(child)


def record(session: Session, child: Child) -> ChildRecord:
    """The child's record as the API shows it, with the version to correct it against."""
    return ChildRecord(
        **child_service.read(session, child=child).model_dump(),
        version=child.version,
        updated_at=as_utc(child.updated_at),
    )
