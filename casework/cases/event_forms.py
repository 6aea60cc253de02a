"""The form of a workflow event, made from the event's payload schema: a new event in the
definition gets a working page without a new template.

``build`` reads the schema (``casework.cases.events.payload_model``): a yes/no is two
radios, a choice radios with its labels (an agency a list), a date or a time three date
fields (and the time), text an input or a text area by its length, a nested model a group
of fields, a list of models repeated rows, or a checklist when each item is one of a fixed
set (a ``kind`` enum): a box per choice with the item's other fields (who, when) under it.
``casework.cases.wording`` gives each event its title and the law's form name and may word
a field; otherwise a field is named by its schema description. What is posted back is read
by ``casework.cases.event_input``.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel
from pydantic.fields import FieldInfo

from casework.base import Lang, label
from casework.cases.events import payload_model
from casework.cases.lookups import AgencyChoice
from casework.cases.wording import CHOICES, COMMON_FIELDS, EVENTS, EventWords, Translate
from casework.web.forms import field_id
from casework.web.i18n import N_

Kind = Literal[
    "radios",
    "select",
    "date",
    "datetime",
    "text",
    "textarea",
    "number",
    "group",
    "rows",
    "checklist",
]

LONG_TEXT = 300  # a text field allowing more than this is a text area
PLAN_ROWS = 3  # the empty rows a new list starts with
ACTION, ADD_ROW, ROWS = "_action", "add_row", "_rows"
# A checklist's box: ``measures.<choice>.kind`` ticked holds the choice; the item's other
# fields are ``measures.<choice>.<field>``.
CHECK = "kind"
HIDDEN = ("expected_version",)
# A date typed for a time in a row (a plan's activity): from the start of its first day
# to the end of its last.
ROW_TIMES = {"starts_at": "00:00", "due_at": "23:59"}


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
    max_length: int | None = None  # text: the schema's limit (a text area counts down to it)

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
    if origin is list and _is_model(get_args(kind_of)[0]) and _ticked(get_args(kind_of)[0]):
        item = get_args(kind_of)[0]
        ticked = _ticked(item)
        assert ticked is not None
        return FormField(
            kind="checklist",
            choices=tuple(Choice(m.value, label(m, ctx.lang)) for m in ticked),
            children=tuple(
                _field(f"{path}.{name}", sub, ctx)
                for name, sub in item.model_fields.items()
                if name != CHECK
            ),
            **base,
        )
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
    return FormField(kind="textarea" if long else "text", max_length=max_length, **base)


def _is_model(kind_of: Any) -> bool:
    return isinstance(kind_of, type) and issubclass(kind_of, BaseModel)


def _ticked(item: type[BaseModel]) -> type[StrEnum] | None:
    """A list whose items are chosen from a fixed set (their ``kind``) is a checklist: a
    box per choice, the item's other fields under the box ticked."""
    info = item.model_fields.get(CHECK)
    kind_of = info.annotation if info is not None else None
    return kind_of if isinstance(kind_of, type) and issubclass(kind_of, StrEnum) else None


def build(
    event: str,
    *,
    title: str,
    lang: Lang,
    tr: Translate,
    agencies: Sequence[AgencyChoice],
    hints: Mapping[str, str] | None = None,
) -> EventForm:
    """The form of ``event``: its payload's fields, the note last; ``hints``: a field's
    hint worked out for this case (e.g. the dates a clock may be set to)."""
    model = payload_model(event)
    words = EVENTS.get(event, EventWords(title))
    ctx = _Context({**COMMON_FIELDS, **words.fields}, lang, tr, agencies)
    fields = [
        _field(name, info, ctx)
        for name, info in model.model_fields.items()
        if name not in (*HIDDEN, "note")
    ]
    fields = [replace(f, hint=hints[f.name]) if f.name in (hints or {}) else f for f in fields]
    fields.append(_field("note", model.model_fields["note"], ctx))
    return EventForm(
        event=event,
        title=title,
        law_form=tr(words.form) if words.form else None,
        hint=tr(words.hint) if words.hint else None,
        submit=tr(words.submit or N_("Lưu")),
        fields=tuple(fields),
    )


def first_input(form: EventForm, *, within: FormField | None = None, number: int = 0) -> str:
    """The id of the first input of the form (or of one row of a list)."""
    item = within or form.fields[0]
    if item.kind == "checklist":
        return field_id(f"{item.name}.{item.choices[0].value}")
    prefix = item.name
    while item.kind in ("rows", "group"):
        child = item.children[0]
        prefix = f"{prefix}.{number}.{child.leaf}" if item.kind == "rows" else child.name
        item = child
    suffix = "-day" if item.kind in ("date", "datetime") else ""
    return field_id(prefix) + suffix


@dataclass
class Submitted:
    """What was typed, by input name, with empty rows left out and the rest renumbered;
    ``rows``: how many rows each list shows."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    adding_row: bool = False


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
    form: EventForm,
    *,
    now: datetime,
    tz: ZoneInfo,
    version: int,
    rows_from: Sequence[object],
    proposed: Mapping[str, date] | None = None,
) -> Submitted:
    """A new form: times default to now and ``proposed`` dates to theirs (changeable), a
    list starts from ``rows_from`` (a plan sent back) plus room for more; nothing is
    chosen for the person."""
    values = {"expected_version": str(version)}
    rows: dict[str, int] = {}
    for item in form.fields:
        if item.kind == "datetime":
            values.update({item.name + k: v for k, v in _typed(now, tz).items()})
        elif item.kind == "checklist":  # each measure's day is today's, its time is asked
            today = _typed(now, tz)
            for choice in item.choices:
                for child in (c for c in item.children if c.kind == "datetime"):
                    name = f"{item.name}.{choice.value}.{child.leaf}"
                    values.update({name + k: today[k] for k in (".day", ".month", ".year")})
        elif item.kind == "date" and item.name in (proposed or {}):
            day = (proposed or {})[item.name]
            values.update({f"{item.name}.day": str(day.day), f"{item.name}.month": str(day.month)})
            values[f"{item.name}.year"] = str(day.year)
        elif item.kind == "rows":
            rows[item.name] = max(PLAN_ROWS, len(rows_from) + 1)
            for number, source in enumerate(rows_from):
                for child in item.children:
                    typed = _typed(getattr(source, child.leaf, None), tz)
                    typed.pop(".time", None)
                    name = f"{item.name}.{number}.{child.leaf}"
                    values.update({name + k: v for k, v in typed.items()})
    return Submitted(values, rows)
