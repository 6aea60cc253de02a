"""The form of a workflow event, made from the event's payload schema: a new event in the
definition gets a working page without a new template.

``build`` reads the schema (``casework.cases.events.payload_model``): a yes/no is two
radios, a choice radios with its labels (an agency a list), a date or a time three date
fields (and the time), text an input or a text area by its length, a nested model a group
of fields, a list of models repeated rows. ``casework.cases.wording`` gives each event its
title and the law's form name and may word a field; otherwise a field is named by its
schema description. ``read`` and ``validate`` turn what was posted into the payload the
JSON API validates, with the same schema, and errors the page shows next to each field.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ValidationError
from pydantic.fields import FieldInfo

from casework.base import Lang, label
from casework.cases.events import EventPayload, payload_model
from casework.cases.lookups import AgencyChoice
from casework.cases.wording import CHOICES, COMMON_FIELDS, EVENTS, EventWords, Translate
from casework.errors import FieldError, describe, from_pydantic
from casework.web.forms import FormErrors, field_id, nest
from casework.web.i18n import N_

Kind = Literal[
    "radios", "select", "date", "datetime", "text", "textarea", "number", "group", "rows"
]

LONG_TEXT = 300  # a text field allowing more than this is a text area
PLAN_ROWS = 3  # the empty rows a new list starts with
ACTION, ADD_ROW, ROWS = "_action", "add_row", "_rows"
HIDDEN = ("expected_version",)
# A date typed for a time in a row (a plan's activity): from the start of its first day
# to the end of its last.
ROW_TIMES = {"starts_at": "00:00", "due_at": "23:59"}
PARTS = {"day": ("ngày", "day"), "month": ("tháng", "month"), "year": ("năm", "year")}
_TIME = re.compile(r"([01]?\d|2[0-3])[:hH.]([0-5]\d)")
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


@dataclass(frozen=True)
class Choice:
    value: str
    text: str


@dataclass(frozen=True)
class FormField:
    name: str  # the schema path without row numbers, e.g. "tasks.title"
    kind: Kind
    label: str
    hint: str | None = None
    optional: bool = False
    choices: tuple[Choice, ...] = ()
    children: tuple[FormField, ...] = ()
    time_of_day: str | None = None  # a time typed as a date only (rows): this time is added

    @property
    def leaf(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class EventForm:
    event: str
    title: str
    law_form: str | None
    hint: str | None
    submit: str
    fields: tuple[FormField, ...]

    def index(self) -> dict[str, FormField]:
        """Every field by its schema path (rows' fields as ``tasks.title``)."""
        found: dict[str, FormField] = {}

        def walk(fields: Iterable[FormField]) -> None:
            for item in fields:
                found[item.name] = item
                walk(item.children)

        walk(self.fields)
        return found


def _unwrap(annotation: Any, metadata: Sequence[Any]) -> tuple[Any, int | None]:
    """The type under ``X | None`` and ``Annotated``, and the smallest max length found."""
    lengths = [m.max_length for m in metadata if getattr(m, "max_length", None) is not None]
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    while get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        lengths += [m.max_length for m in extra if getattr(m, "max_length", None) is not None]
        annotation = base
    return annotation, min(lengths) if lengths else None


@dataclass(frozen=True)
class _Context:
    words: Mapping[str, tuple[str, str | None]]
    lang: Lang
    tr: Translate
    agencies: Sequence[AgencyChoice]


def _words(path: str, info: FieldInfo, ctx: _Context) -> tuple[str, str | None]:
    if path in ctx.words:
        text, hint = ctx.words[path]
        return ctx.tr(text), ctx.tr(hint) if hint else None
    vi, _, en = (info.description or path).partition(" / ")
    return (en or vi) if ctx.lang == "en" else vi, None


def _field(path: str, info: FieldInfo, ctx: _Context, *, in_row: bool = False) -> FormField:
    kind_of, max_length = _unwrap(info.annotation, info.metadata)
    text, hint = _words(path, info, ctx)
    base = {"name": path, "label": text, "hint": hint, "optional": not info.is_required()}
    leaf = path.rsplit(".", 1)[-1]
    origin = get_origin(kind_of)
    if kind_of is bool:
        yes_no = (Choice("true", ctx.tr(N_("Có"))), Choice("false", ctx.tr(N_("Không"))))
        return FormField(kind="radios", choices=yes_no, **base)
    if isinstance(kind_of, type) and issubclass(kind_of, StrEnum):
        choices = tuple(Choice(m.value, label(m, ctx.lang)) for m in kind_of)
        return FormField(kind="radios", choices=choices, **base)
    if origin is Literal:
        choices = tuple(
            Choice(str(v), ctx.tr(CHOICES.get((leaf, str(v)), str(v)))) for v in get_args(kind_of)
        )
        return FormField(kind="radios", choices=choices, **base)
    if kind_of in (datetime, AwareDatetime):
        if in_row:
            return FormField(kind="date", time_of_day=ROW_TIMES.get(leaf, "00:00"), **base)
        return FormField(kind="datetime", **base)
    if kind_of is date:
        return FormField(kind="date", **base)
    if kind_of is int and leaf == "agency_id":
        choices = tuple(Choice(str(a.id), a.name) for a in ctx.agencies)
        return FormField(kind="select", choices=choices, **base)
    if kind_of is int:
        return FormField(kind="number", **base)
    if origin is list and _is_model(get_args(kind_of)[0]):
        item = get_args(kind_of)[0]
        children = tuple(
            _field(f"{path}.{name}", sub, ctx, in_row=True)
            for name, sub in item.model_fields.items()
        )
        return FormField(kind="rows", children=children, **base)
    if _is_model(kind_of):
        children = tuple(
            _field(f"{path}.{name}", sub, ctx) for name, sub in kind_of.model_fields.items()
        )
        return FormField(kind="group", children=children, **base)
    long = max_length is None or max_length > LONG_TEXT
    return FormField(kind="textarea" if long else "text", **base)


def _is_model(kind_of: Any) -> bool:
    return isinstance(kind_of, type) and issubclass(kind_of, BaseModel)


def build(
    event: str, *, title: str, lang: Lang, tr: Translate, agencies: Sequence[AgencyChoice]
) -> EventForm:
    """The form of ``event``: its payload's fields, the note last."""
    model = payload_model(event)
    words = EVENTS.get(event, EventWords(title))
    ctx = _Context({**COMMON_FIELDS, **words.fields}, lang, tr, agencies)
    fields = [
        _field(name, info, ctx)
        for name, info in model.model_fields.items()
        if name not in (*HIDDEN, "note")
    ]
    fields.append(_field("note", model.model_fields["note"], ctx))
    return EventForm(
        event=event,
        title=title,
        law_form=tr(words.form) if words.form else None,
        hint=tr(words.hint) if words.hint else None,
        submit=tr(words.submit or N_("Lưu")),
        fields=tuple(fields),
    )


# -- what was posted -----------------------------------------------------------------


@dataclass
class Submitted:
    """What was typed, by input name, with empty rows left out and the rest renumbered;
    ``rows``: how many rows each list shows."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    adding_row: bool = False


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
    parts = {part: values.get(f"{name}.{part}", "") for part in PARTS}
    typed_time = values.get(f"{name}.time", "")
    loc = tuple(int(p) if p.isdigit() else p for p in name.split("."))
    if (any(parts.values()) or typed_time) and not all(parts.values()):
        part = next(p for p, typed in parts.items() if not typed)
        vi, en = PARTS[part]
        return FieldError(loc, "date_part_missing", {"part": vi, "part_en": en, "at": part})
    if item.kind == "datetime" and typed_time and not _TIME.fullmatch(typed_time):
        return FieldError(loc, "time_invalid", {"at": "time"})
    return None


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
    try:
        payload = model.model_validate(nest(values.items(), tz=tz))
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


def first_input(form: EventForm, *, within: FormField | None = None, number: int = 0) -> str:
    """The id of the first input of the form (or of one row of a list)."""
    item = within or form.fields[0]
    prefix = item.name
    while item.kind in ("rows", "group"):
        child = item.children[0]
        prefix = f"{prefix}.{number}.{child.leaf}" if item.kind == "rows" else child.name
        item = child
    suffix = "-day" if item.kind in ("date", "datetime") else ""
    return field_id(prefix) + suffix


def _typed(value: object, tz: ZoneInfo) -> dict[str, str]:
    """A stored value as the inputs that show it (a time as its date fields and time)."""
    if isinstance(value, datetime):
        local = value.astimezone(tz)
        return {
            ".day": str(local.day),
            ".month": str(local.month),
            ".year": str(local.year),
            ".time": f"{local:%H:%M}",
        }
    return {"": "" if value is None else str(value)}


def initial(
    form: EventForm, *, now: datetime, tz: ZoneInfo, version: int, rows_from: Sequence[object]
) -> Submitted:
    """A new form: times default to now (changeable), a list starts from ``rows_from`` (a
    plan sent back) plus room for more; nothing is chosen for the person."""
    values = {"expected_version": str(version)}
    rows: dict[str, int] = {}
    for item in form.fields:
        if item.kind == "datetime":
            values.update({item.name + k: v for k, v in _typed(now, tz).items()})
        elif item.kind == "rows":
            rows[item.name] = max(PLAN_ROWS, len(rows_from) + 1)
            for number, source in enumerate(rows_from):
                for child in item.children:
                    typed = _typed(getattr(source, child.leaf, None), tz)
                    typed.pop(".time", None)
                    name = f"{item.name}.{number}.{child.leaf}"
                    values.update({name + k: v for k, v in typed.items()})
    return Submitted(values, rows)
