"""The first target of the import: rows of the commune's list of children.

A row is checked with the same rules as intake and the child's record (the schema's field
rules, the birth date or year, the personal id against sex, birth year and the provinces'
codes, the village resolved as intake resolves it), then matched against the register
without diacritics: the same personal id, or the same folded name, birth year and village.
A matched child is linked, never changed ("đã có trong danh sách"); only the groups of the
row that are not already current are added. So importing the same rows twice changes
nothing the second time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import BaseModel, BeforeValidator, ConfigDict
from sqlmodel import Session

from casework import text
from casework.base import label
from casework.children import personal_id
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.children.service import resolve_village
from casework.errors import InvalidInput
from casework.registry.imports.mapping import Fields, FieldSpec
from casework.registry.imports.rows import Problem, Refusals
from casework.registry.imports.values import (
    as_text,
    parse_date,
    parse_groups,
    parse_personal_id,
    parse_phone,
    parse_sex,
    parse_year,
)
from casework.schemas_common import Name, OptionalLine, OptionalName, OptionalPhone, Word
from casework.timefmt import age_on

TARGET = "children"
ADULT_AGE = 18
CHUNK = 500

FIELDS = Fields(
    specs=(
        FieldSpec("full_name", "Họ và tên", "Full name",
                  ("Họ tên", "Họ và tên trẻ", "Họ tên trẻ", "Tên trẻ", "Họ và tên trẻ em",
                   "Họ tên trẻ em"), required=True),
        FieldSpec("date_of_birth", "Ngày sinh", "Date of birth",
                  ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày")),
        FieldSpec("birth_year", "Năm sinh", "Birth year", ()),
        FieldSpec("sex", "Giới tính", "Sex", ("Giới",), required=True),
        FieldSpec("ethnicity", "Dân tộc", "Ethnicity", (), required=True),
        FieldSpec("personal_id", "Số định danh cá nhân", "Personal id",
                  ("Mã định danh", "Số định danh", "Mã định danh cá nhân", "Mã số định danh",
                   "Số ĐDCN", "CCCD", "Số CCCD")),
        FieldSpec("village", "Thôn/bản", "Village",
                  ("Thôn", "Bản", "Xóm", "Thôn/xóm", "Thôn, bản", "Thôn/tổ", "Tổ dân phố",
                   "Thôn/tổ dân phố", "Thôn, xóm")),
        FieldSpec("groups", "Nhóm hoàn cảnh", "Group",
                  ("Nhóm HCĐB", "Nhóm hoàn cảnh đặc biệt", "Hoàn cảnh đặc biệt", "Thuộc nhóm",
                   "Nhóm trẻ em có hoàn cảnh đặc biệt")),
        FieldSpec("father", "Họ tên cha", "Father's name",
                  ("Họ và tên cha", "Họ tên bố", "Họ và tên bố", "Cha", "Bố")),
        FieldSpec("mother", "Họ tên mẹ", "Mother's name", ("Họ và tên mẹ", "Mẹ")),
        FieldSpec("caregiver", "Họ tên người chăm sóc", "Caregiver's name",
                  ("Người chăm sóc", "Họ và tên người chăm sóc", "Người nuôi dưỡng",
                   "Họ tên người nuôi dưỡng", "Người giám hộ", "Họ tên cha/mẹ/người chăm sóc",
                   "Cha/mẹ/người chăm sóc", "Họ tên cha mẹ hoặc người chăm sóc")),
        FieldSpec("phone", "Điện thoại", "Phone",
                  ("Số điện thoại", "SĐT", "Điện thoại liên hệ", "Số điện thoại liên hệ")),
        FieldSpec("address", "Địa chỉ", "Address", ("Nơi ở", "Chỗ ở hiện nay", "Nơi ở hiện nay")),
    ),
    one_of=(("date_of_birth", "birth_year"),),
    ignored=frozenset({"stt", "so tt", "ghi chu", "tt"}),
)  # fmt: skip


class ChildRow(BaseModel):
    """One row of the list, read with the register's own field types."""

    model_config = ConfigDict(extra="ignore")

    full_name: Annotated[Name, BeforeValidator(as_text)]
    date_of_birth: Annotated[date | int | None, BeforeValidator(parse_date)] = None
    birth_year: Annotated[int | None, BeforeValidator(parse_year)] = None
    sex: Annotated[Sex, BeforeValidator(parse_sex)]
    ethnicity: Annotated[Word, BeforeValidator(as_text)]
    personal_id: Annotated[str | None, BeforeValidator(parse_personal_id)] = None
    village: Annotated[OptionalName, BeforeValidator(as_text)] = None
    groups: Annotated[list[CircumstanceGroup], BeforeValidator(parse_groups)] = []
    father: Annotated[OptionalName, BeforeValidator(as_text)] = None
    mother: Annotated[OptionalName, BeforeValidator(as_text)] = None
    caregiver: Annotated[OptionalName, BeforeValidator(as_text)] = None
    phone: Annotated[OptionalPhone, BeforeValidator(parse_phone)] = None
    address: Annotated[OptionalLine, BeforeValidator(as_text)] = None

    @property
    def born(self) -> date | None:
        return self.date_of_birth if isinstance(self.date_of_birth, date) else None

    @property
    def year(self) -> int | None:
        if isinstance(self.date_of_birth, date):
            return self.date_of_birth.year
        if isinstance(self.date_of_birth, int):
            return self.date_of_birth
        return self.birth_year


_SEX = {sex.value: sex for sex in Sex}
_GROUP = {group.value: group for group in CircumstanceGroup}


@dataclass(slots=True)
class ValidRow:
    """A row that passed every check: what matching and writing need, and what the dry
    run keeps for the import (``dumped``: a JSON list, read back without validating)."""

    full_name: str
    born: date | None
    year: int
    sex: Sex
    ethnicity: str
    personal_id: str | None
    groups: tuple[CircumstanceGroup, ...]
    father: str | None
    mother: str | None
    caregiver: str | None
    phone: str | None
    address: str | None

    @classmethod
    def of(cls, data: ChildRow) -> ValidRow:
        """A row ``_rules`` passed (so it has a birth year)."""
        year = data.year
        assert year is not None
        return cls(data.full_name, data.born, year, data.sex, data.ethnicity,
                   data.personal_id, tuple(data.groups), data.father, data.mother,
                   data.caregiver, data.phone, data.address)  # fmt: skip

    def dumped(self) -> list[Any]:
        born = self.born.isoformat() if self.born is not None else None
        groups = [group.value for group in self.groups]
        return [self.full_name, born, self.year, self.sex.value, self.ethnicity,
                self.personal_id, groups, self.father, self.mother, self.caregiver,
                self.phone, self.address]  # fmt: skip

    @classmethod
    def loaded(cls, values: list[Any]) -> ValidRow:
        name, born, year, sex, ethnicity, pid, groups, *people = values
        return cls(name, date.fromisoformat(born) if born else None, year, _SEX[sex],
                   ethnicity, pid, tuple(_GROUP[g] for g in groups), *people)  # fmt: skip


@dataclass(slots=True)
class Planned:
    row: int
    data: ValidRow
    village_id: int | None
    name_key: str
    existing_id: int | None = None
    new_groups: list[CircumstanceGroup] = field(default_factory=list)


@dataclass
class Checked(Refusals):
    planned: list[Planned] = field(default_factory=list)
    valid: list[tuple[int, ValidRow, int | None]] = field(default_factory=list)


def _rules(row: int, data: ChildRow, today: date, checked: Checked) -> None:
    """The rules between fields, as intake's: a birth date or year, not in the future, a
    child (under 18), and a personal id that agrees with the record."""
    born_on = data.date_of_birth
    if isinstance(born_on, date) and data.birth_year not in (None, born_on.year):
        day = born_on.strftime("%d/%m/%Y")
        checked.refuse(
            row, "birth_year", "import_birth_year_mismatch", date=day, year=data.birth_year
        )
        return
    year, born = data.year, data.born
    where = "date_of_birth" if data.date_of_birth is not None else "birth_year"
    if year is None:
        checked.refuse(row, "date_of_birth", "import_birth_required")
        return
    if (born is not None and born > today) or year > today.year:
        checked.refuse(row, where, "date_in_future")
        return
    age = age_on(born, today) if born is not None else today.year - year
    if age >= ADULT_AGE:
        checked.refuse(row, where, "child_too_old", {"age": age})
    if data.personal_id is not None:
        pid = personal_id.PersonalId(data.personal_id)
        for code in personal_id.problems(data.personal_id, sex=data.sex, birth_year=year):
            params: dict[str, Any] = {"code": data.personal_id[:3], "id_year": pid.birth_year,
                                      "record_year": year}  # fmt: skip
            for lang, suffix in (("vi", ""), ("en", "_en")):
                params[f"id_sex{suffix}"] = label(pid.sex, lang).lower()
                params[f"record_sex{suffix}"] = label(data.sex, lang).lower()
            checked.refuse(row, "personal_id", code, params)


def villages(session: Session, rows: Sequence[dict[str, Any]], *, commune_id: int) -> Villages:
    """Intake's village resolution, asked once per distinct name in the file."""
    found: Villages = {}
    for raw in rows:
        name = as_text(raw.get("village"))
        if not isinstance(name, str) or not name or _folded(name) in found:
            continue
        try:
            village = resolve_village(session, commune_id=commune_id, name=name, loc=("village",))
            found[_folded(name)] = village.id if village is not None else InvalidInput([])
        except InvalidInput as refused:
            found[_folded(name)] = refused
    return found


Villages = dict[str, "int | InvalidInput"]


@functools.lru_cache(maxsize=4096)  # a file names its few villages over and over
def _folded(name: str) -> str:
    return text.fold(name)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


_C = Child.__table__
_M = ChildCircumstance.__table__


def validate(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    prepared: Villages,
    today: date,
    progress: Callable[[int], None],
) -> Checked:
    """Every row validated and its village resolved: ``valid`` rows go on to matching,
    every problem is listed. Pure: no database (progress is reported as it goes)."""
    villages, checked = prepared, Checked()
    for count, (row, raw) in enumerate(rows, start=1):
        if count % 2000 == 0:
            progress(count)
        before = len(checked.problems)
        village = as_text(raw.get("village"))
        found = villages.get(_folded(village)) if isinstance(village, str) and village else None
        if isinstance(found, InvalidInput):
            for problem in found.errors():
                checked.refuse(row, "village", problem.code, problem.params)
        data = checked.parse(ChildRow, row, raw)
        if data is None:
            continue
        _rules(row, data, today, checked)
        if len(checked.problems) == before:
            village_id = found if isinstance(found, int) else None
            checked.valid.append((row, ValidRow.of(data), village_id))
    progress(len(rows))
    return checked


def match(session: Session, checked: Checked, *, commune_id: int) -> None:
    """The valid rows against the register (and each other): each becomes ``planned``,
    new or linked to the child it certainly is, or a problem when that is unclear."""
    valid = checked.valid
    by_key: dict[tuple[str, int, int | None], list[tuple[int, str | None]]] = {}
    by_pid: dict[str, tuple[int, int, str]] = {}
    known = session.execute(
        sa.select(_C.c.id, _C.c.name_key, _C.c.birth_year, _C.c.village_id, _C.c.personal_id)
        .where(_C.c.commune_id == commune_id, _C.c.merged_into_id.is_(None))
    )  # fmt: skip
    for child_id, name_key, year, village_id, pid in known:
        by_key.setdefault((name_key, year, village_id), []).append((child_id, pid))
        if pid:
            by_pid[pid] = (child_id, commune_id, name_key)
    pids = [d.personal_id for _, d, _ in valid if d.personal_id and d.personal_id not in by_pid]
    for chunk in _chunks(pids):
        elsewhere = session.execute(
            sa.select(_C.c.id, _C.c.commune_id, _C.c.name_key, _C.c.personal_id)
            .where(_C.c.personal_id.in_(chunk))
        )  # fmt: skip
        for child_id, other_commune, name_key, pid in elsewhere:
            by_pid[pid] = (child_id, other_commune, name_key)
    seen: dict[object, int] = {}
    for row, data, village_id in valid:
        name_key, year = text.fold(data.full_name), data.year
        keys: list[object] = [(name_key, year, village_id)]
        if data.personal_id:
            keys.insert(0, data.personal_id)
        first = next((seen[key] for key in keys if key in seen), None)
        if first is not None:
            checked.refuse(row, "full_name", "import_duplicate_row", {"first": first})
            continue
        for key in keys:
            seen[key] = row
        existing: int | None = None
        if data.personal_id and data.personal_id in by_pid:
            child_id, other_commune, other_key = by_pid[data.personal_id]
            if other_commune != commune_id or other_key != name_key:
                checked.refuse(row, "personal_id", "import_personal_id_other_child")
                continue
            existing = child_id
        else:
            candidates = [
                child_id
                for child_id, pid in by_key.get((name_key, year, village_id), [])
                if not (pid and data.personal_id and pid != data.personal_id)
            ]
            if len(candidates) > 1:
                checked.refuse(row, "full_name", "import_ambiguous", {"count": len(candidates)})
                continue
            existing = candidates[0] if candidates else None
        checked.planned.append(
            Planned(row, data, village_id, name_key, existing, list(data.groups))
        )
    _current_groups(session, checked)


def _current_groups(session: Session, checked: Checked) -> None:
    """A matched child keeps the groups they are in; only the others are added."""
    linked = {p.existing_id: p for p in checked.planned if p.existing_id is not None}
    current: dict[int, set[str]] = {}
    for chunk in _chunks(list(linked)):
        found = session.execute(
            sa.select(_M.c.child_id, _M.c.group).where(
                _M.c.child_id.in_(chunk), _M.c.until.is_(None), _M.c.at_risk.is_(False)
            )
        )
        for child_id, group in found:
            current.setdefault(child_id, set()).add(str(group))
    for child_id, planned in linked.items():
        have = current.get(child_id, set())
        planned.new_groups = [g for g in planned.data.groups if g.value not in have]
        checked.problems.append(
            Problem(planned.row, None, "import_existing",
                    {"groups": ", ".join(label(g, "vi")[:2] for g in planned.new_groups)},
                    note=True)
        )  # fmt: skip


def dump(checked: Checked) -> dict[str, Any]:
    """What ``validate`` found (before ``match``), as JSON for the import to ``load``."""
    return {
        "valid": [[row, village, data.dumped()] for row, data, village in checked.valid],
        "problems": checked.dumped_problems(),
    }


def load(kept: dict[str, Any]) -> Checked:
    """``dump``'s rows back, without validating them again: the dry run did."""
    checked = Checked()
    checked.load_problems(kept["problems"])
    checked.valid = [(row, ValidRow.loaded(data), village) for row, village, data in kept["valid"]]
    return checked
