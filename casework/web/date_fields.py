"""Dates typed in three fields (and maybe a time): what is missing or impossible, said the
way UX.md §1.4 says it, before the schema sees the assembled value.

``forms.nest`` turns ``x.day``/``x.month``/``x.year``/``x.time`` into one ISO value and
leaves the judging to the schema, whose words suit the JSON API ("…theo dạng
YYYY-MM-DD"). A page first asks ``check`` about each of its dates: "Ngày sinh phải có
tháng", "… phải là ngày có thật", and which of the inputs to put the focus on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from casework.errors import FieldError
from casework.web.forms import field_id

PARTS = ("day", "month", "year")
PART_WORDS = {"day": ("ngày", "a day"), "month": ("tháng", "a month"), "year": ("năm", "a year")}
_TIME = re.compile(r"(\d{1,2})[:hH.](\d{2})")


@dataclass(frozen=True)
class DateField:
    """A date on a form, by its dotted name; ``with_time``: a fourth field, ``HH:MM``."""

    name: str
    with_time: bool = False

    @property
    def loc(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))

    @property
    def id(self) -> str:
        """The id of the group (``child-date_of_birth``); each input adds ``-day`` etc."""
        return field_id(self.name)

    def typed(self, form: Mapping[str, str]) -> dict[str, str]:
        return {part: (form.get(f"{self.name}.{part}") or "").strip() for part in (*PARTS, "time")}


@dataclass(frozen=True)
class DateProblem:
    error: FieldError
    part: str  # the input to correct: day, month, year or time


def check(field: DateField, form: Mapping[str, str]) -> DateProblem | None:
    """The first thing to correct in what was typed; ``None`` when it is a whole date (or
    nothing was typed: whether it is needed is for the schema to say)."""
    typed = field.typed(form)
    if not any(typed.values()):
        return None
    missing = [part for part in PARTS if not typed[part]]
    if missing:
        vi, en = PART_WORDS[missing[0]]
        return _problem(field, "date_part_missing", missing[0], part=vi, part_en=en)
    if not all(typed[part].isdigit() for part in PARTS):
        wrong = next(part for part in PARTS if not typed[part].isdigit())
        return _problem(field, "date_not_real", wrong)
    if len(typed["year"]) != 4:
        return _problem(field, "date_year_digits", "year")
    try:
        date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
    except ValueError:
        wrong = "month" if not 1 <= int(typed["month"]) <= 12 else "day"
        return _problem(field, "date_not_real", wrong)
    if field.with_time:
        return _time_problem(field, typed["time"])
    return None


def _time_problem(field: DateField, typed: str) -> DateProblem | None:
    if not typed:
        return _problem(field, "time_missing", "time")
    match = _TIME.fullmatch(typed)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return _problem(field, "time_not_real", "time")
    return None


def _problem(field: DateField, code: str, at: str, **params: str) -> DateProblem:
    return DateProblem(FieldError(field.loc, code, params), at)
