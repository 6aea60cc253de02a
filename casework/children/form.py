"""The child's form (register a child, correct a record): from the posted fields to the
API's own schemas, and the errors back to the page.

The schema and the rules judge the record exactly as for the JSON API; the page adds what
a form on paper would: a date of birth typed in three fields (the year alone when the
birthday is not known), the caregivers as rows added and removed with buttons (no
JavaScript needed), blank rows left out, and errors in the order of the page, each linked
to its input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from casework.base import Lang
from casework.children import rules
from casework.children.editing import FIELDS
from casework.children.schemas import ChildFields
from casework.errors import FieldError, describe, from_pydantic
from casework.partial import readable
from casework.web.date_fields import DateField, check
from casework.web.forms import FormErrors, field_id, in_page_order, nest, worded

BIRTH = DateField("date_of_birth")
CARER_PARTS = ("full_name", "relation", "phone")
MAX_CAREGIVERS = 10
ADD_CAREGIVER, REMOVE_CAREGIVER = "add_caregiver", "remove_caregiver"
PAGE_FIELDS = frozenset({"action", "version", "caregiver_rows", "confirm_not_duplicate"})
CHOICES = {("sex",): "choice_missing"}
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Typed:
    """What the person typed, as posted: shown again on every answer of the page."""

    values: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Typed:
        return cls({name: value for name, value in pairs if name != "csrf_token"})

    @classmethod
    def blank(cls) -> Typed:
        return cls({"caregiver_rows": "1"})

    @classmethod
    def of_record(cls, current: Mapping[str, Any], *, version: int) -> Typed:
        """The record as the form shows it (``editing.current_fields``)."""
        values = {
            name: "" if current[name] is None else str(current[name])
            for name in FIELDS
            if name not in ("caregivers", "date_of_birth", "birth_year_estimate")
        }
        born: date | None = current["date_of_birth"]
        if born is not None:
            values |= {"date_of_birth.day": str(born.day), "date_of_birth.month": str(born.month)}
        year = born.year if born is not None else current["birth_year_estimate"]
        values["date_of_birth.year"] = str(year)
        for row, carer in enumerate(current["caregivers"]):
            for part in CARER_PARTS:
                values[f"caregivers.{row}.{part}"] = carer[part] or ""
        values["caregiver_rows"] = str(max(1, len(current["caregivers"])))
        values["version"] = str(version)
        return cls(values)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    @property
    def action(self) -> str:
        return self.get("action")

    @property
    def rows(self) -> int:
        count = self.get("caregiver_rows")
        return min(int(count), MAX_CAREGIVERS) if count.isdigit() else 0

    @property
    def confirmed(self) -> bool:
        return self.get("confirm_not_duplicate") == "true"

    def with_values(self, **values: str) -> Typed:
        return replace(self, values={**self.values, **values})

    def added_row(self) -> Typed:
        return self.with_values(caregiver_rows=str(min(self.rows + 1, MAX_CAREGIVERS)))

    def without_row(self, gone: int) -> Typed:
        """The caregivers without row ``gone``; the rows after it move up."""
        kept = [row for row in range(self.rows) if row != gone]
        return self._with_rows(kept)

    def compacted(self) -> Typed:
        """Blank caregiver rows left out (so errors point at the rows shown)."""
        kept = [row for row in range(self.rows) if any(self._carer(row).values())]
        return self._with_rows(kept, keep_one=True)

    def _carer(self, row: int) -> dict[str, str]:
        return {part: self.get(f"caregivers.{row}.{part}").strip() for part in CARER_PARTS}

    def _with_rows(self, rows: list[int], *, keep_one: bool = True) -> Typed:
        values = {k: v for k, v in self.values.items() if not k.startswith("caregivers.")}
        for new, old in enumerate(rows):
            for part in CARER_PARTS:
                values[f"caregivers.{new}.{part}"] = self.get(f"caregivers.{old}.{part}")
        values["caregiver_rows"] = str(max(len(rows), 1 if keep_one else 0))
        return Typed(values)


@dataclass
class PageErrors(FormErrors):
    """``FormErrors`` and, for the date of birth, the one input at fault."""

    parts: dict[str, str] = field(default_factory=dict)


class FormInvalid(Exception):
    def __init__(self, errors: PageErrors) -> None:
        super().__init__("child form refused")
        self.errors = errors


def _year_only(typed: Typed) -> bool:
    parts = BIRTH.typed(typed.values)
    return bool(parts["year"]) and not parts["day"] and not parts["month"]


def _payload(typed: Typed, *, tz: ZoneInfo) -> dict[str, Any]:
    values = {k: v for k, v in typed.values.items() if k not in PAGE_FIELDS}
    if _year_only(typed):
        values.pop(f"{BIRTH.name}.day", None)
        values.pop(f"{BIRTH.name}.month", None)
        values["birth_year_estimate"] = values.pop(f"{BIRTH.name}.year")
    payload = nest(values.items(), tz=tz)
    carers = payload.get("caregivers")
    payload["caregivers"] = list(carers) if isinstance(carers, list) else []
    return payload


def parse(
    typed: Typed, model: type[M], *, today: date, tz: ZoneInfo, lang: Lang, **extra: Any
) -> M:
    """The record as ``model`` (``ChildFields`` or a subclass, with ``extra`` fields), or
    ``FormInvalid`` with every problem: each answer's own, and the rules between answers
    on those that could be read, in one go."""
    problems: list[FieldError] = []
    parts: dict[str, str] = {}
    if not _year_only(typed) and (problem := check(BIRTH, typed.values)) is not None:
        problems.append(problem.error)
        parts[BIRTH.id] = problem.part
    payload = _payload(typed, tz=tz)
    data: M | None = None
    try:
        data = model.model_validate({**payload, **extra})
    except ValidationError as exc:
        flagged = [error.loc for error in problems]
        found = [worded(from_pydantic(e), CHOICES) for e in exc.errors()]
        problems.extend(e for e in found if not any(e.loc[: len(f)] == f for f in flagged))
    refused = {error.loc for error in problems}
    known = readable(ChildFields, payload)
    problems.extend(
        e for e in rules.record_problems(known, at=(), today=today) if e.loc not in refused
    )
    if data is not None and not problems:
        return data
    raise FormInvalid(page_errors(problems, lang, parts))


def page_errors(
    errors: Iterable[FieldError], lang: Lang, parts: Mapping[str, str] | None = None
) -> PageErrors:
    """The summary (page order, each a link to its input) and the message next to each
    input; a caregiver's row is named in the summary ("Dòng 2: …")."""
    found = PageErrors(parts=dict(parts or {}))
    for error in in_page_order(errors, FIELDS):
        message = describe(error, lang)
        group = field_id(error.loc) if error.loc else ""
        if group == "birth_year_estimate":
            group = BIRTH.id
        target = group
        if group == BIRTH.id:
            part = found.parts.get(group) or ("year" if error.loc[-1] != "date_of_birth" else "day")
            target = f"{group}-{part}"
        summary = message
        if len(error.loc) == 3 and error.loc[0] == "caregivers" and isinstance(error.loc[1], int):
            row = {"row": error.loc[1] + 1, "problem": message}
            summary = describe(FieldError((), "in_row", row), lang)
        found.summary.append((target, summary))
        found.by_field.setdefault(group, message)
    return found
