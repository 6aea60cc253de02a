"""Rà soát, làm sạch dữ liệu trẻ em (Đề án 06, step 1): the live list of records to fix.

A child's record is *clean* when it has the basic fields the national child information
system collects and a personal id that can be right: a full name, a date of birth (not
only an estimated year), a sex, an ethnicity, a parent or caregiver, and a 12-digit
personal id from a province's birth-registration code that agrees with the record's sex
and birth year (``casework.children.personal_id``). Merged-away records are pointers, not
children: they are never listed or counted.

Every rule is SQL (``CONDITIONS``), stored per child as a bitmask (``child_quality``,
kept by ``quality_flags``) so lists and counts over a commune of any size read one integer
per child: deciding the rules at query time cost seconds at 500,000 children
(docs/PERFORMANCE.md). Each listed row is then worded in Python from the same fields
(``findings``), with the personal-id rules of ``personal_id.problems`` — the two must
agree, and the tests check each rule through the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from casework.base import Lang, label, register_labels
from casework.children import personal_id
from casework.children.models import Caregiver, Child, Sex
from casework.communes.models import Village
from casework.messages import render
from casework.pagination import Page, PageParams, page_of
from casework.registry.quality_models import ChildQuality


class Problem(StrEnum):
    """What can be wrong with a record, in the order the list says it."""

    no_personal_id = "no_personal_id"
    personal_id_format = "personal_id_format"
    personal_id_province = "personal_id_province"
    personal_id_sex_mismatch = "personal_id_sex_mismatch"
    personal_id_year_mismatch = "personal_id_year_mismatch"
    missing_full_name = "missing_full_name"
    missing_date_of_birth = "missing_date_of_birth"
    missing_sex = "missing_sex"
    missing_ethnicity = "missing_ethnicity"
    no_caregiver = "no_caregiver"


register_labels(
    {
        Problem.no_personal_id: ("Chưa có số định danh cá nhân", "No personal id"),
        Problem.personal_id_format: (
            "Số định danh cá nhân không đủ 12 chữ số",
            "Personal id is not 12 digits",
        ),
        Problem.personal_id_province: (
            "Số định danh cá nhân có mã tỉnh không có thật",
            "Personal id from no province",
        ),
        Problem.personal_id_sex_mismatch: (
            "Số định danh cá nhân không khớp giới tính",
            "Personal id disagrees with sex",
        ),
        Problem.personal_id_year_mismatch: (
            "Số định danh cá nhân không khớp năm sinh",
            "Personal id disagrees with birth year",
        ),
        Problem.missing_full_name: ("Thiếu họ và tên", "No full name"),
        Problem.missing_date_of_birth: (
            "Thiếu ngày sinh (chỉ có năm sinh ước tính)",
            "No date of birth (estimated year only)",
        ),
        Problem.missing_sex: ("Thiếu giới tính", "No sex"),
        Problem.missing_ethnicity: ("Thiếu dân tộc", "No ethnicity"),
        Problem.no_caregiver: (
            "Chưa có cha, mẹ hoặc người chăm sóc",
            "No parent or caregiver",
        ),
    }
)

_PID = Child.personal_id
_DIGITS = "0123456789"
_FEMALE_DIGITS = ("1", "3", "5", "7", "9")  # the century-and-sex digit G: odd is female

_has_pid = sa.and_(_PID.is_not(None), sa.func.trim(_PID) != "")
# 12 characters, all digits (no regular expressions: the same SQL on both databases)
_well_formed = sa.and_(_has_pid, sa.func.length(_PID) == 12, sa.func.ltrim(_PID, _DIGITS) == "")
_known_sex = Child.sex.in_([sex.value for sex in Sex])
_id_sex = sa.case(
    (sa.func.substr(_PID, 4, 1).in_(_FEMALE_DIGITS), Sex.female.value), else_=Sex.male.value
)
_id_year = (
    1900
    + sa.cast(sa.func.substr(_PID, 4, 1), sa.Integer) // 2 * 100
    + sa.cast(sa.func.substr(_PID, 5, 2), sa.Integer)
)
_no_caregiver = ~sa.select(Caregiver.id).where(Caregiver.child_id == Child.id).exists()


def _blank(column: Any) -> ColumnElement[bool]:
    return sa.or_(column.is_(None), sa.func.trim(column) == "")


CONDITIONS: dict[Problem, ColumnElement[bool]] = {
    Problem.no_personal_id: ~_has_pid,
    Problem.personal_id_format: sa.and_(_has_pid, ~_well_formed),
    Problem.personal_id_province: sa.and_(
        _well_formed, sa.func.substr(_PID, 1, 3).not_in(list(personal_id.PROVINCE_CODES))
    ),
    Problem.personal_id_sex_mismatch: sa.and_(_well_formed, _known_sex, _id_sex != Child.sex),
    Problem.personal_id_year_mismatch: sa.and_(_well_formed, _id_year != Child.birth_year),
    Problem.missing_full_name: _blank(Child.full_name),
    Problem.missing_date_of_birth: Child.date_of_birth.is_(None),
    Problem.missing_sex: sa.or_(Child.sex.is_(None), ~_known_sex),
    Problem.missing_ethnicity: _blank(Child.ethnicity),
    Problem.no_caregiver: _no_caregiver,
}
BITS: dict[Problem, int] = {problem: 1 << index for index, problem in enumerate(Problem)}
# Every rule at once, as the bitmask ``child_quality.flags`` stores.
LIVE_FLAGS: ColumnElement[int] = sum(
    (sa.case((condition, BITS[problem]), else_=0) for problem, condition in CONDITIONS.items()),
    start=sa.literal(0),
)
# The stored flags (``quality_flags`` keeps them): lists and counts join ``child_quality``,
# so a child written around the ORM shows once the housekeeping tick has given it its row.
FLAGS: ColumnElement[int] = ChildQuality.flags
ANY_PROBLEM: ColumnElement[bool] = FLAGS != 0


def has(problem: Problem) -> ColumnElement[bool]:
    """The child's record has ``problem`` (by its stored flags)."""
    return FLAGS.op("&")(BITS[problem]) != 0


def registered(scope: ColumnElement[bool]) -> ColumnElement[bool]:
    """The children of ``scope`` that are records of their own (not merged into another)."""
    return sa.and_(scope, Child.merged_into_id.is_(None))


@dataclass(frozen=True)
class Finding:
    problem: Problem
    message: str


@dataclass(frozen=True)
class Row:
    """A listed child and what is wrong with the record, in words."""

    child_id: int
    full_name: str
    birth_year: int
    date_of_birth: date | None
    sex: str | None
    ethnicity: str | None
    personal_id: str | None
    village: str | None
    findings: list[Finding]


@dataclass(frozen=True)
class VillageCount:
    village_id: int | None
    village: str | None
    total: int
    clean: int
    by_problem: dict[Problem, int]

    @property
    def to_fix(self) -> int:
        return self.total - self.clean


@dataclass(frozen=True)
class Counts:
    villages: list[VillageCount]
    by_problem: dict[Problem, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(village.total for village in self.villages)

    @property
    def clean(self) -> int:
        return sum(village.clean for village in self.villages)


@dataclass(frozen=True)
class Filters:
    village_id: int | None = None
    problem: Problem | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found = [has(self.problem) if self.problem else ANY_PROBLEM]
        if self.village_id is not None:
            found.append(Child.village_id == self.village_id)
        return found

    def detail(self) -> dict[str, object]:
        """For the audit log: which list, never who is on it by name."""
        return {
            "village_id": self.village_id,
            "problem": self.problem.value if self.problem else None,
        }


@dataclass(frozen=True)
class Listing:
    counts: Counts
    page: Page[Row]
    villages: list[tuple[int, str]]  # the commune's villages, to filter by


def counts(session: Session, *, commune_id: int | None) -> Counts:
    """Children, clean records and each problem per village of the commune: one pass over
    its stored flags (``child_quality`` alone, not the children's rows)."""
    columns = [sa.func.count().filter(has(problem)) for problem in Problem]
    per_village = (
        sa.select(
            ChildQuality.village_id,
            sa.func.count().label("total"),
            sa.func.count().filter(ANY_PROBLEM).label("to_fix"),
            *(column.label(f"p{index}") for index, column in enumerate(columns)),
        )
        .where(ChildQuality.commune_id == commune_id, ChildQuality.merged.is_(False))
        .group_by(ChildQuality.village_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(per_village.c.village_id, Village.name, *list(per_village.c)[1:])
        .outerjoin(Village, Village.id == per_village.c.village_id)
        .order_by(sa.nulls_last(Village.name.asc()))
    ).all()
    villages = [
        VillageCount(
            village_id=village_id,
            village=name,
            total=total,
            clean=total - to_fix,
            by_problem=dict(zip(Problem, numbers, strict=True)),
        )
        for village_id, name, total, to_fix, *numbers in rows
    ]
    by_problem = {p: sum(v.by_problem[p] for v in villages) for p in Problem}
    return Counts(villages, by_problem)


def _rows_statement(scope: ColumnElement[bool], filters: Filters) -> sa.Select[Any]:
    return (
        sa.select(
            Child.id,
            Child.full_name,
            Child.birth_year,
            Child.date_of_birth,
            Child.sex,
            Child.ethnicity,
            Child.personal_id,
            Village.name,
            has(Problem.no_caregiver).label("no_caregiver"),
        )
        .select_from(Child)
        .join(ChildQuality, ChildQuality.child_id == Child.id)
        .outerjoin(Village, Village.id == Child.village_id)
        .where(registered(scope), *filters.conditions())
    )


def listing(
    session: Session,
    *,
    scope: ColumnElement[bool],
    filters: Filters,
    params: PageParams,
    commune_id: int | None,
    lang: Lang = "vi",
) -> Listing:
    """The counts, one page of the records to fix in the Vietnamese list order, and the
    commune's villages."""
    found = counts(session, commune_id=commune_id)
    pool = found.villages
    if filters.village_id is not None:
        pool = [v for v in pool if v.village_id == filters.village_id]
    if filters.problem is not None:
        total = sum(v.by_problem[filters.problem] for v in pool)
    else:
        total = sum(v.to_fix for v in pool)
    statement = (
        _rows_statement(scope, filters)
        .order_by(Child.sort_key, Child.id)
        .offset(params.offset)
        .limit(params.page_size)
    )
    items = [_row(values, lang) for values in session.execute(statement)]
    villages = session.execute(
        sa.select(Village.id, Village.name)
        .where(Village.commune_id == commune_id, Village.live())
        .order_by(Village.name)
    ).all()
    return Listing(found, page_of(items, total=total, params=params), [(i, n) for i, n in villages])


def all_rows(
    session: Session, *, scope: ColumnElement[bool], filters: Filters, lang: Lang = "vi"
) -> Iterator[Row]:
    """Every record to fix, streamed (for the export): village, then list order."""
    statement = _rows_statement(scope, filters).order_by(
        sa.nulls_last(Village.name.asc()), Child.sort_key, Child.id
    )
    for values in session.execute(statement.execution_options(yield_per=1000)):
        yield _row(values, lang)


def _row(values: Any, lang: Lang) -> Row:
    child_id, name, year, born, sex, ethnicity, pid, village, no_caregiver = values
    return Row(
        child_id=child_id,
        full_name=name,
        birth_year=year,
        date_of_birth=born,
        sex=sex,
        ethnicity=ethnicity,
        personal_id=pid,
        village=village,
        findings=findings(
            full_name=name,
            birth_year=year,
            date_of_birth=born,
            sex=sex,
            ethnicity=ethnicity,
            pid=pid,
            has_caregiver=not no_caregiver,
            lang=lang,
        ),
    )


def findings(
    *,
    full_name: str | None,
    birth_year: int,
    date_of_birth: date | None,
    sex: str | None,
    ethnicity: str | None,
    pid: str | None,
    has_caregiver: bool,
    lang: Lang = "vi",
) -> list[Finding]:
    """What is wrong with one record, each problem in a sentence of ``lang``."""
    known_sex = Sex(sex) if sex in {s.value for s in Sex} else None
    found: list[Problem] = []
    params: dict[str, object] = {}
    if not (pid or "").strip():
        found.append(Problem.no_personal_id)
    else:
        keys = personal_id.problems(pid, sex=known_sex, birth_year=birth_year)
        found.extend(Problem(key) for key in keys)
        if personal_id.is_well_formed(pid):
            number = personal_id.PersonalId(pid)
            params = {
                "code": pid[:3],
                "id_year": number.birth_year,
                "record_year": birth_year,
                "id_sex": label(number.sex, "vi").lower(),
                "id_sex_en": label(number.sex, "en").lower(),
                "record_sex": label(known_sex, "vi").lower() if known_sex else "",
                "record_sex_en": label(known_sex, "en").lower() if known_sex else "",
            }
    if not (full_name or "").strip():
        found.append(Problem.missing_full_name)
    if date_of_birth is None:
        found.append(Problem.missing_date_of_birth)
    if known_sex is None:
        found.append(Problem.missing_sex)
    if not (ethnicity or "").strip():
        found.append(Problem.missing_ethnicity)
    if not has_caregiver:
        found.append(Problem.no_caregiver)
    return [Finding(problem, _sentence(problem, params, lang)) for problem in found]


_ID_MESSAGES = {
    Problem.personal_id_format,
    Problem.personal_id_province,
    Problem.personal_id_sex_mismatch,
    Problem.personal_id_year_mismatch,
}


def _sentence(problem: Problem, params: dict[str, object], lang: Lang) -> str:
    """The intake's own message for a personal-id problem (naming the province code, the
    sex or the year it says); the problem's label for a missing field."""
    if problem in _ID_MESSAGES:
        return render(problem.value, lang, label="", params=params)
    return label(problem, lang)
