"""What a person posted on an event's form (``casework.cases.event_forms``), made into the
payload the JSON API validates, with the same schema; or the problems to show, each next
to its field and in the error summary, worded for a form (choose an option, a date part
missing) rather than for an integrator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from casework.base import Lang
from casework.cases.event_forms import (
    ACTION,
    ADD_ROW,
    ROWS,
    EventForm,
    FormField,
    Submitted,
    first_input,
)
from casework.cases.events import EventPayload, payload_model
from casework.errors import FieldError, describe, from_pydantic
from casework.web import date_fields
from casework.web.date_fields import DateField
from casework.web.forms import FormErrors, field_id, nest

PARTS = date_fields.PARTS
_GROUPED = re.compile(r"\d{1,3}([ .,]\d{3})+")
_UNREADABLE_DATE = frozenset(
    {
        "date_parsing",
        "date_type",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "datetime_parsing",
        "datetime_type",
        "datetime_from_date_parsing",
        "timezone_aware",
    }
)


def read(form: EventForm, posted: Iterable[tuple[str, str]]) -> Submitted:
    """The posted fields as the page shows them again (a row added when asked)."""
    items = [(name, value.strip() if isinstance(value, str) else "") for name, value in posted]
    controls = {name: value for name, value in items if name.startswith("_")}
    values = {name: value for name, value in items if not name.startswith("_")}
    values.pop("csrf_token", None)
    adding = controls.get(ACTION) == ADD_ROW
    rows: dict[str, int] = {}
    for listed in (f for f in form.fields if f.kind == "rows"):
        kept = _compact(values, listed)
        shown = controls.get(f"{ROWS}.{listed.name}", "")
        wanted = max(kept, int(shown) if shown.isdigit() else 0, 1) + int(adding)
        rows[listed.name] = min(wanted, 50)
    return Submitted(values, rows, adding)


def _compact(values: dict[str, str], listed: FormField) -> int:
    """Drop the list's empty rows (a time filled in for the page is not typing) and number
    the rest from 0, in order; returns how many are left."""
    prefix = f"{listed.name}."
    rows: dict[int, dict[str, str]] = {}
    for name in [n for n in values if n.startswith(prefix)]:
        number, _, rest = name[len(prefix) :].partition(".")
        if number.isdigit():
            rows.setdefault(int(number), {})[rest] = values.pop(name)
    kept = [row for _, row in sorted(rows.items()) if any(row.values())]
    for number, row in enumerate(kept):
        values.update({f"{prefix}{number}.{rest}": value for rest, value in row.items()})
    return len(kept)


def _instances(form: EventForm, rows: Mapping[str, int]) -> Iterable[tuple[str, FormField]]:
    """Every input's name with its field (a row's fields once per row)."""

    def walk(fields: Iterable[FormField], prefix: str) -> Iterable[tuple[str, FormField]]:
        for item in fields:
            name = prefix + item.leaf
            if item.kind == "rows":
                for number in range(rows.get(item.name, 0)):
                    yield from walk(item.children, f"{name}.{number}.")
            elif item.kind == "group":
                yield from walk(item.children, f"{name}.")
            else:
                yield name, item

    return walk(form.fields, "")


def _date_problem(name: str, item: FormField, values: Mapping[str, str]) -> FieldError | None:
    """What to correct in a date (and time) typed in parts; the error names the part
    (``at``) that the summary's link puts the focus on."""
    # A plan row's dates carry their time of day themselves (start 00:00, end 23:59).
    field = DateField(name, with_time=item.kind == "datetime" and not item.time_of_day)
    problem = date_fields.check(field, values)
    if problem is None:
        return None
    loc = tuple(int(p) if p.isdigit() else p for p in name.split("."))
    return FieldError(loc, problem.error.code, {**problem.error.params, "at": problem.part})


class FormInvalid(Exception):
    def __init__(self, problems: list[FieldError]) -> None:
        super().__init__("form refused")
        self.problems = problems


def validate(form: EventForm, submitted: Submitted, *, tz: ZoneInfo) -> EventPayload:
    """The payload, validated by the API's own schema; ``FormInvalid`` lists per field
    what to fix, worded for a person filling in the page."""
    values = dict(submitted.values)
    found: dict[tuple[str | int, ...], FieldError] = {}
    for name, item in _instances(form, submitted.rows):
        if item.kind == "number" and _GROUPED.fullmatch(values.get(name, "")):
            values[name] = re.sub(r"\D", "", values[name])  # "1.500.000": Vietnamese grouping
        if item.kind not in ("date", "datetime"):
            continue
        problem = _date_problem(name, item, values)
        if problem is not None:
            found[problem.loc] = problem
            for part in (*PARTS, "time"):
                values.pop(f"{name}.{part}", None)
        elif item.time_of_day and values.get(f"{name}.day"):
            values[f"{name}.time"] = item.time_of_day
    model = payload_model(form.event)
    # A page deciding between two events posts both forms' fields: each takes its own.
    own = [(n, v) for n, v in values.items() if n.split(".", 1)[0] in model.model_fields]
    try:
        payload = model.model_validate(nest(own, tz=tz))
    except ValidationError as exc:
        fields = form.index()
        for raw in exc.errors():
            error = _reworded(from_pydantic(raw), fields)
            found.setdefault(error.loc, error)
        raise FormInvalid(list(found.values())) from None
    if found:
        raise FormInvalid(list(found.values()))
    return payload


def _path(loc: Sequence[str | int]) -> str:
    return ".".join(str(part) for part in loc if not isinstance(part, int))


def _reworded(error: FieldError, fields: Mapping[str, FormField]) -> FieldError:
    """A schema's message as a form's: "choose" for radios, "a real date" for dates."""
    item = fields.get(_path(error.loc))
    if item is None:
        return error
    if item.kind in ("radios", "select") and error.code in ("missing", "enum", "literal_error"):
        yes_no = item.kind == "radios" and [c.value for c in item.choices] == ["true", "false"]
        return FieldError(error.loc, "yes_no_missing" if yes_no else "choice_missing")
    if item.kind in ("date", "datetime") and error.code in _UNREADABLE_DATE:
        return FieldError(error.loc, "date_type")
    return error


def page_errors(form: EventForm, problems: Sequence[FieldError], lang: Lang) -> FormErrors:
    """The error summary and the message next to each field (the same words); a summary
    link goes to the field's first input (a date's day, or the part that is missing)."""
    fields = form.index()
    first = first_input(form)
    found = FormErrors()
    for error in problems:
        message = describe(error, lang)
        target = field_id(error.loc) if error.loc else first
        item = fields.get(_path(error.loc)) if error.loc else None
        link = target
        if item is not None and item.kind in ("date", "datetime"):
            link = f"{target}-{error.params.get('at', 'day')}"
        elif item is not None and item.kind == "rows":
            link = first_input(form, within=item, number=0)
        found.summary.append((link, message))
        found.by_field.setdefault(target, message)
    return found
