"""Children: find, create, search and the possible-duplicate check at intake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from casework import text
from casework.cases import workflow
from casework.cases.models import CaseStatus, ProtectionCase
from casework.children.models import Caregiver, Child, ChildCircumstance
from casework.children.schemas import (
    CaregiverRead,
    ChildCase,
    ChildCreate,
    ChildFields,
    ChildProfile,
    ChildRead,
    ChildSummary,
    CircumstanceRead,
    RunningClock,
)
from casework.communes.models import Village, VillageFormerName, commune_id_of
from casework.deadlines.models import CaseDeadline, DeadlineStatus
from casework.errors import FieldError, InvalidInput
from casework.pagination import Page, PageParams, count, pages

MAX_DUPLICATES = 10


# What a village is called before its name (Thông tư 04/2012/TT-BNV and its 2022
# amendment: thôn, làng, ấp, bản, buôn, bon, phum, sóc… and tổ dân phố, khu phố, khối
# phố, khóm, tiểu khu…), folded. Longer first, so "tổ dân phố 3" is not read as "tổ".
VILLAGE_KINDS = tuple(
    sorted(
        (
            "thon", "lang", "ap", "ban", "buon", "bon", "phum", "soc", "plei", "xom",
            "to dan pho", "khu pho", "khoi pho", "khom", "tieu khu", "khoi", "khu", "to",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip


def without_kind(key: str) -> str:
    """A folded village name without its leading "thôn", "bản", "tổ dân phố"…: "thon na
    pan" -> "na pan". Only one word goes: "thon ban chat" -> "ban chat" (Bản Chắt)."""
    for kind in VILLAGE_KINDS:
        if key.startswith(f"{kind} ") and len(key) > len(kind) + 1:
            return key[len(kind) + 1 :]
    return key


def resolve_village(
    session: Session, *, commune_id: int, name: str | None, loc: tuple[str, ...]
) -> Village | None:
    """The commune's village called ``name``, diacritics, case and its "Thôn"/"Bản"/"Xóm"…
    ignored, or a 422 with the commune's villages: none matches, or several do.

    The closest reading wins: the name as typed ("thon na pan" is Thôn Nà Pàn), then the
    typed name against the villages without their kind ("Nà Pàn"), then both without it
    ("Bản Nà Pàn" for Thôn Nà Pàn). Several villages at that reading ("1" for Thôn 1 and
    Tổ dân phố 1) are refused: a report must not land on a guessed village. A name no
    village has now is looked up among former names (a village renamed in 2025).
    """
    if name is None:
        return None
    key = text.fold(name)
    villages = session.exec(
        select(Village).where(Village.commune_id == commune_id, Village.live())
    ).all()
    bare = without_kind(key)
    readings = (
        lambda v: v.name_key == key,
        lambda v: without_kind(v.name_key) == key,
        lambda v: without_kind(v.name_key) == bare,
    )
    for reading in readings:
        found = [v for v in villages if reading(v)]
        if len(found) == 1:
            return found[0]
        if found:
            names = sorted(v.name for v in found)
            params = {"village": name, "choices": ", ".join(names), "first": names[0]}
            raise InvalidInput([FieldError(loc, "village_ambiguous", params)])
    renamed = _by_former_name(session, commune_id=commune_id, bare=bare)
    if renamed is not None:
        return next(v for v in villages if v.id == renamed)
    choices = ", ".join(sorted(v.name for v in villages))
    raise InvalidInput(
        [FieldError(loc, "village_not_found", {"village": name, "choices": choices})]
    )


def _by_former_name(session: Session, *, commune_id: int, bare: str) -> int | None:
    """The one village that was called ``bare`` before a rename (old lists, old habits)."""
    former = session.execute(
        select(VillageFormerName.village_id, VillageFormerName.name)
        .join(Village, Village.id == VillageFormerName.village_id)
        .where(Village.commune_id == commune_id)
    ).all()
    ids = {village_id for village_id, old in former if without_kind(text.fold(old)) == bare}
    return ids.pop() if len(ids) == 1 else None


def get_in_commune(session: Session, *, commune_id: int, child_id: int) -> Child | None:
    child = session.get(Child, child_id)
    return child if child is not None and child.commune_id == commune_id else None


def get_by_personal_id(session: Session, *, personal_id: str) -> Child | None:
    return session.exec(select(Child).where(Child.personal_id == personal_id)).first()


def find_same_child(
    session: Session, *, commune_id: int, data: ChildCreate, village_id: int | None
) -> Child | None:
    """The recorded child these details certainly describe, if any.

    Certain means the same personal id, or the same folded name, full date of birth
    and village. Anything weaker is only offered as a possible duplicate: attaching a
    report to the wrong child's case would disclose one child's file in another's.
    """
    if data.personal_id:
        child = get_by_personal_id(session, personal_id=data.personal_id)
        if child is None:
            return None
        if child.commune_id != commune_id or child.name_key != text.fold(data.full_name):
            raise InvalidInput(
                [
                    FieldError(
                        ("child", "personal_id"), "personal_id_other_child", {"child_id": child.id}
                    )
                ]
            )
        return child
    if data.date_of_birth is None or village_id is None:
        return None
    return session.exec(
        select(Child).where(
            Child.commune_id == commune_id,
            Child.merged_into_id.is_(None),
            Child.name_key == text.fold(data.full_name),
            Child.date_of_birth == data.date_of_birth,
            Child.village_id == village_id,
        )
    ).first()


def create_child(
    session: Session, *, commune_id: int, data: ChildFields, village_id: int | None, now: datetime
) -> Child:
    """Record a new child with their caregivers (and, from an intake, their
    special-circumstance groups)."""
    birth_year = data.date_of_birth.year if data.date_of_birth else data.birth_year_estimate
    assert birth_year is not None  # checked by the rules (casework.children.rules)
    child = Child(
        commune_id=commune_id,
        full_name=data.full_name,
        name_key=text.fold(data.full_name),
        sort_key=text.sort_key(data.full_name),
        personal_id=data.personal_id,
        date_of_birth=data.date_of_birth,
        birth_year=birth_year,
        sex=data.sex,
        ethnicity=data.ethnicity,
        village_id=village_id,
        address=data.address,
        school_name=data.school_name,
        grade=data.grade,
        disability_level=data.disability_level,
        poverty_status=data.poverty_status,
        created_at=now,
        updated_at=now,
    )
    session.add(child)
    session.flush()
    for caregiver in data.caregivers:
        session.add(Caregiver(child_id=child.id, **caregiver.model_dump()))
    for circumstance in data.circumstances if isinstance(data, ChildCreate) else ():
        session.add(ChildCircumstance(child_id=child.id, **circumstance.model_dump()))
    session.flush()
    return child


def _open_case_code() -> sa.ScalarSelect[str]:
    return (
        sa.select(ProtectionCase.code)
        .where(ProtectionCase.child_id == Child.id, ProtectionCase.status != CaseStatus.closed)
        .limit(1)
        .scalar_subquery()
    )


def _summary_statement() -> sa.Select[tuple[Child, str | None, str | None]]:
    return (
        sa.select(Child, Village.name, _open_case_code())
        .select_from(Child)
        .outerjoin(Village, Village.id == Child.village_id)
    )


def _summaries(rows: Sequence[sa.Row[tuple[Child, str | None, str | None]]]) -> list[ChildSummary]:
    return [
        ChildSummary(
            id=child.id,
            full_name=child.full_name,
            birth_year=child.birth_year,
            sex=child.sex,
            village=village,
            open_case_code=case_code,
        )
        for child, village, case_code in rows
    ]


def similar_children(
    session: Session,
    *,
    commune_id: int,
    full_name: str,
    birth_year: int,
    village_id: int | None = None,
    exclude_id: int | None = None,
) -> list[ChildSummary]:
    """Children of the commune with the same folded name (diacritics, case and spaces
    ignored) and a birth year within one; in the same village or an unknown one when
    ``village_id`` is given."""
    statement = _summary_statement().where(
        Child.commune_id == commune_id,
        Child.merged_into_id.is_(None),  # a record merged away is a pointer, not a child
        Child.name_key == text.fold(full_name),
        Child.birth_year.between(birth_year - 1, birth_year + 1),
    )
    if exclude_id is not None:
        statement = statement.where(Child.id != exclude_id)
    if village_id is not None:
        statement = statement.where(
            sa.or_(Child.village_id == village_id, Child.village_id.is_(None))
        )
    rows = session.execute(statement.order_by(Child.id).limit(MAX_DUPLICATES)).all()
    return _summaries(rows)


def possible_duplicates(session: Session, *, child: Child) -> list[ChildSummary]:
    """Other children with the same folded name, a birth year within one, in the same village.

    An unknown village on either side still matches: a hotline caller often cannot say
    which thôn the child lives in.
    """
    return similar_children(
        session,
        commune_id=child.commune_id,
        full_name=child.full_name,
        birth_year=child.birth_year,
        village_id=child.village_id,
        exclude_id=child.id,
    )


def search(
    session: Session,
    *,
    scope: sa.ColumnElement[bool],
    commune_code: str | None,
    q: str | None,
    params: PageParams,
) -> Page[ChildSummary]:
    """Children within ``scope`` (the policy's condition) whose folded name contains ``q``
    (or whose personal id is ``q``)."""
    statement = _summary_statement().where(scope, Child.merged_into_id.is_(None))
    if commune_code is not None:
        statement = statement.where(Child.commune_id == commune_id_of(commune_code))
    if q and text.fold(q):
        key = text.fold(q)
        statement = statement.where(
            sa.or_(Child.name_key.contains(key, autoescape=True), Child.personal_id == q.strip())
        )
    total = count(session, statement)
    rows = session.execute(
        statement.order_by(Child.name_key, Child.id).offset(params.offset).limit(params.page_size)
    ).all()
    return Page[ChildSummary](
        items=_summaries(rows),
        total=total,
        page=params.page,
        page_size=params.page_size,
        pages=pages(total, params.page_size),
    )


def read(session: Session, *, child: Child) -> ChildRead:
    """The child's record as the API shows it."""
    village = session.get(Village, child.village_id) if child.village_id else None
    caregivers = session.exec(
        select(Caregiver).where(Caregiver.child_id == child.id).order_by(Caregiver.id)
    ).all()
    circumstances = session.exec(
        select(ChildCircumstance)
        .where(ChildCircumstance.child_id == child.id)
        .order_by(ChildCircumstance.group)
    ).all()
    return ChildRead(
        id=child.id,
        full_name=child.full_name,
        personal_id=child.personal_id,
        date_of_birth=child.date_of_birth,
        birth_year=child.birth_year,
        birth_date_is_estimated=child.date_of_birth is None,
        sex=child.sex,
        ethnicity=child.ethnicity,
        village=village.name if village else None,
        address=child.address,
        school_name=child.school_name,
        grade=child.grade,
        disability_level=child.disability_level,
        poverty_status=child.poverty_status,
        caregivers=[CaregiverRead.model_validate(c, from_attributes=True) for c in caregivers],
        circumstances=[
            CircumstanceRead.model_validate(c, from_attributes=True) for c in circumstances
        ],
    )


def _running_clocks(
    session: Session, cases: Sequence[ProtectionCase]
) -> dict[int, list[RunningClock]]:
    """The running case-wide clocks of ``cases``, soonest first, in one query."""
    by_case: dict[int, list[RunningClock]] = {case.id: [] for case in cases}
    if not cases:
        return by_case
    deadlines = session.exec(
        select(CaseDeadline)
        .where(
            CaseDeadline.case_id.in_(list(by_case)),
            CaseDeadline.task_id.is_(None),
            CaseDeadline.status == DeadlineStatus.running,
        )
        .order_by(CaseDeadline.due_at, CaseDeadline.id)
    ).all()
    specs = {
        case.id: workflow.engine_for(case.workflow_name, case.workflow_version).definition.deadlines
        for case in cases
    }
    for deadline in deadlines:
        spec = specs[deadline.case_id].get(deadline.kind)
        by_case[deadline.case_id].append(
            RunningClock(
                kind=deadline.kind,
                label_vi=spec.label.vi if spec else deadline.kind,
                label_en=spec.label.en if spec else deadline.kind,
                clock=deadline.clock,
                starts_at=deadline.starts_at,
                due_at=deadline.due_at,
            )
        )
    return by_case


def profile(session: Session, *, child_id: int) -> ChildProfile:
    """The child's record, special-circumstance groups and caregivers, and every case of
    the child (newest first) with its running legal clocks: a fixed number of queries."""
    child = session.get_one(Child, child_id)
    cases = session.exec(
        select(ProtectionCase)
        .where(ProtectionCase.child_id == child_id)
        .order_by(ProtectionCase.opened_at.desc(), ProtectionCase.id.desc())
    ).all()
    clocks = _running_clocks(session, cases)
    return ChildProfile(
        child=read(session, child=child),
        cases=[
            ChildCase(
                code=case.code,
                status=case.status,
                is_emergency=case.is_emergency,
                risk_level=case.risk_level,
                opened_at=case.opened_at,
                closed_at=case.closed_at,
                clocks=clocks[case.id],
            )
            for case in cases
        ],
    )
