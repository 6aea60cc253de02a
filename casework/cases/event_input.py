"""What a person posted on an event's form (``casework.cases.event_forms``), made into the
payload the JSON API validates, with the same schema; or the problems to show, each next
to its field and in the error summary, worded for a form (choose an option, a date part
missing) rather than for an integrator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from casework.base import Lang
from casework.cases.event_forms import (
    ACTION,
    ADD_ROW,
    CHECK,
    ROWS,
    EventForm,
    FormField,
    Submitted,
    first_input,
)
from casework.cases.events import EventPayload, payload_model
from casework.errors import FieldError, describe, from_pydantic
from casework.messages import render
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


def _instances(
    form: EventForm, rows: Mapping[str, int], ticked: Mapping[str, list[str]]
) -> Iterable[tuple[str, FormField]]:
    """Every input's name with its field (a row's fields once per row, a checklist's once
    per box ticked)."""

    def walk(fields: Iterable[FormField], prefix: str) -> Iterable[tuple[str, FormField]]:
        for item in fields:
            name = prefix + item.leaf
            if item.kind == "rows":
                for number in range(rows.get(item.name, 0)):
                    yield from walk(item.children, f"{name}.{number}.")
            elif item.kind == "checklist":
                for choice in ticked.get(item.name, []):
                    yield from walk(item.children, f"{name}.{choice}.")
            elif item.kind == "group":
                yield from walk(item.children, f"{name}.")
            else:
                yield name, item

    return walk(form.fields, "")


def ticked(form: EventForm, values: Mapping[str, str]) -> dict[str, list[str]]:
    """Each checklist's boxes ticked, in the form's order: the payload's list in order."""
    return {
        item.name: [
            c.value for c in item.choices if values.get(f"{item.name}.{c.value}.{CHECK}") == c.value
        ]
        for item in form.fields
        if item.kind == "checklist"
    }


def _as_list(values: dict[str, str], ticked: Mapping[str, list[str]]) -> None:
    """A checklist's inputs (``measures.<choice>.by``) as the list the schema validates
    (``measures.<n>.by``, n-th box ticked); the boxes not ticked are left out."""
    for listed, chosen in ticked.items():
        prefix = f"{listed}."
        for name in [n for n in values if n.startswith(prefix)]:
            choice, _, rest = name[len(prefix) :].partition(".")
            value = values.pop(name)
            if choice in chosen:
                values[f"{prefix}{chosen.index(choice)}.{rest}"] = value


def form_loc(loc: Sequence[str | int], ticked: Mapping[str, list[str]]) -> tuple[str | int, ...]:
    """Where an error of the payload's list is on the form: item n of a checklist is the
    n-th box ticked."""
    found = tuple(loc)
    if len(found) >= 2 and isinstance(found[1], int) and str(found[0]) in ticked:
        chosen = ticked[str(found[0])]
        if found[1] < len(chosen):
            return (found[0], chosen[found[1]], *found[2:])
    return found


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
    boxes = ticked(form, values)
    found: dict[tuple[str | int, ...], FieldError] = {}
    for name, item in _instances(form, submitted.rows, boxes):
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
    _as_list(values, boxes)
    # A page deciding between two events posts both forms' fields: each takes its own.
    own = [(n, v) for n, v in values.items() if n.split(".", 1)[0] in model.model_fields]
    try:
        payload = model.model_validate(nest(own, tz=tz))
    except ValidationError as exc:
        fields = form.index()
        for raw in exc.errors():
            error = from_pydantic(raw)
            error = _reworded(replace(error, loc=form_loc(error.loc, boxes)), fields)
            found.setdefault(error.loc, error)
        raise FormInvalid(list(found.values())) from None
    if found:
        raise FormInvalid(list(found.values()))
    return payload


def _path(loc: Sequence[str | int], fields: Mapping[str, FormField]) -> str:
    """The schema path of a form location: without row numbers and checklist choices."""
    parts: list[str] = []
    for part in loc:
        listed = fields.get(".".join(parts))
        if isinstance(part, int) or (
            listed is not None and listed.kind == "checklist" and part in _values(listed)
        ):
            continue
        parts.append(part)
    return ".".join(parts)


def _values(item: FormField) -> set[str]:
    return {choice.value for choice in item.choices}


def _reworded(error: FieldError, fields: Mapping[str, FormField]) -> FieldError:
    """A schema's message as a form's: "choose" for radios, "a real date" for dates."""
    item = fields.get(_path(error.loc, fields))
    if item is None:
        return error
    if item.kind == "checklist" and error.code in ("missing", "too_short"):
        return FieldError(error.loc, "too_short")  # "Chọn ít nhất một …"
    if item.kind in ("radios", "select") and error.code in ("missing", "enum", "literal_error"):
        yes_no = item.kind == "radios" and [c.value for c in item.choices] == ["true", "false"]
        return FieldError(error.loc, "yes_no_missing" if yes_no else "choice_missing")
    if item.kind in ("date", "datetime") and error.code in _UNREADABLE_DATE:
        return FieldError(error.loc, "date_type")
    return error


def _in_row(loc: Sequence[str | int], message: str, lang: Lang) -> str:
    """A problem inside a list (a plan's activities) says which row: "Dòng 2: nhập ngày
    bắt đầu", in the summary and by the field alike, as the rows are headed "Dòng 2"."""
    row = next((part for part in loc if isinstance(part, int)), None)
    if row is None:
        return message
    problem = message[:1].lower() + message[1:]
    return render("in_row", lang, label="", params={"row": row + 1, "problem": problem})


def page_errors(
    form: EventForm,
    problems: Sequence[FieldError],
    lang: Lang,
    *,
    boxes: Mapping[str, list[str]] | None = None,
) -> FormErrors:
    """The error summary and the message next to each field (the same words); a summary
    link goes to the field's first input (a date's day, or the part that is missing).
    ``boxes``: the checklists' boxes ticked, to place the API's errors of a list item
    (``measures.1.at``) on the form (``measures.medical_care.at``)."""
    fields = form.index()
    first = first_input(form)
    found = FormErrors()
    for error in problems:
        loc = form_loc(error.loc, boxes or {})
        path = _path(loc, fields)
        schema_loc: tuple[str | int, ...] = tuple(path.split(".")) if path else ()
        message = _in_row(loc, _worded(replace(error, loc=schema_loc), loc, fields, lang), lang)
        target = field_id(loc) if loc else first
        item = fields.get(path) if loc else None
        link = target
        if item is not None and item.kind in ("date", "datetime"):
            link = f"{target}-{error.params.get('at', 'day')}"
        elif item is not None and item.kind == "rows":
            link = first_input(form, within=item, number=0)
        elif item is not None and item.kind == "checklist":
            link = first_input(form, within=item)
        found.summary.append((link, message))
        found.by_field.setdefault(target, message)
    return found


def _worded(
    error: FieldError, loc: Sequence[str | int], fields: Mapping[str, FormField], lang: Lang
) -> str:
    """The message, named by the checklist's choice when it is about one of its items
    ("Báo công an…: nhập người hoặc cơ quan thực hiện")."""
    message = (
        describe(error, lang) if error.loc != ("",) else describe(replace(error, loc=()), lang)
    )
    listed = fields.get(str(loc[0])) if loc else None
    if listed is None or listed.kind != "checklist" or len(loc) < 3:
        return message
    choice = next((c.text for c in listed.choices if c.value == loc[1]), None)
    return f"{choice}: {message[:1].lower()}{message[1:]}" if choice else message
