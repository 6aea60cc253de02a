"""HTML forms: from posted fields to the API's own schemas, and errors back to the page.

A page posts plain fields (it works without JavaScript); ``nest`` turns dotted names into
the nested shape the pydantic schemas of the JSON API expect (``child.full_name``,
``tasks.0.title``), so the pages and the API validate with the same rules. Dates are three
fields (``dob.day``, ``dob.month``, ``dob.year``) and times add ``.time`` (``HH:MM``, local):
``nest`` assembles them into ISO text before validation.

On a failure the page is shown again with everything typed kept: ``FormErrors`` gives the
error summary (each entry a link to its field) and the message next to each field, the
same words in both places (UX.md §1.1). A field's HTML id is its dotted name with dots
turned into dashes (``child-full_name``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from casework.base import Lang
from casework.errors import CaseworkError, FieldError, describe, from_pydantic

_PARTS = ("day", "month", "year", "time")


def field_id(name: str | Iterable[str | int]) -> str:
    """The HTML id of a field from its dotted name or its error location."""
    parts = name.split(".") if isinstance(name, str) else [str(p) for p in name]
    return "-".join(parts)


def _set(target: dict[str, Any], path: list[str], value: Any) -> None:
    head, rest = path[0], path[1:]
    if not rest:
        target[head] = value
        return
    child = target.setdefault(head, {})
    _set(child, rest, value)


def _listify(value: Any) -> Any:
    """``{"0": {...}, "1": {...}}`` becomes a list, in index order."""
    if not isinstance(value, dict):
        return value
    value = {key: _listify(item) for key, item in value.items()}
    if value and all(key.isdigit() for key in value):
        return [value[key] for key in sorted(value, key=int)]
    return value


class DateParts:
    """A date typed in three fields (and maybe a time): what was typed, and its ISO text."""

    def __init__(self, parts: Mapping[str, str], tz: ZoneInfo) -> None:
        self.parts = {key: (parts.get(key) or "").strip() for key in _PARTS}
        self.tz = tz

    @property
    def empty(self) -> bool:
        return not any(self.parts.values())

    def iso(self) -> str:
        """``YYYY-MM-DD`` (or a full ISO time with the commune's offset when a time was
        given); what cannot be a date is passed on as typed, for the schema to refuse."""
        day, month, year = (self.parts[key] for key in ("day", "month", "year"))
        typed = f"{year}-{month}-{day}"
        try:
            found = date(int(year), int(month), int(day))
        except ValueError:
            return typed
        clock = self.parts["time"]
        if not clock:
            return found.isoformat()
        match = re.fullmatch(r"(\d{1,2})[:hH.](\d{2})", clock)
        if match is None:
            return f"{found.isoformat()}T{clock}"
        try:
            moment = time(int(match[1]), int(match[2]))
        except ValueError:
            return f"{found.isoformat()}T{clock}"
        return datetime.combine(found, moment, tzinfo=self.tz).isoformat()


def nest(form: Iterable[tuple[str, str]], *, tz: ZoneInfo) -> dict[str, Any]:
    """Posted ``(name, value)`` pairs as the nested dict a schema validates.

    Empty fields are left out (the schema's default, or its "enter …" message, applies);
    a name posted several times (checkboxes) becomes a list; ``x.day``/``x.month``/
    ``x.year``/``x.time`` become one ISO value ``x``."""
    flat: dict[str, Any] = {}
    dates: dict[str, dict[str, str]] = {}
    for name, raw in form:
        if name == "csrf_token":
            continue
        value = raw.strip() if isinstance(raw, str) else raw
        base, _, part = name.rpartition(".")
        if base and part in _PARTS:
            dates.setdefault(base, {})[part] = value
            continue
        if value == "":
            continue
        if name in flat:
            previous = flat[name]
            flat[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            flat[name] = value
    for name, parts in dates.items():
        typed = DateParts(parts, tz)
        if not typed.empty:
            flat[name] = typed.iso()
    nested: dict[str, Any] = {}
    for name, value in flat.items():
        _set(nested, name.split("."), value)
    return _listify(nested)


@dataclass
class FormErrors:
    """What to show when a form is refused: the summary's links and each field's message."""

    summary: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)
    by_field: dict[str, str] = field(default_factory=dict)  # field id -> message

    def __bool__(self) -> bool:
        return bool(self.summary)

    @classmethod
    def of(cls, errors: Iterable[FieldError], lang: Lang, *, fallback: str = "") -> FormErrors:
        found = cls()
        for error in errors:
            message = describe(error, lang)
            target = field_id(error.loc) if error.loc else fallback
            found.summary.append((target, message))
            found.by_field.setdefault(target, message)
        return found

    @classmethod
    def from_exception(
        cls, exc: ValidationError | CaseworkError, lang: Lang, *, fallback: str = ""
    ) -> FormErrors:
        if isinstance(exc, ValidationError):
            return cls.of([from_pydantic(e) for e in exc.errors()], lang, fallback=fallback)
        return cls.of(exc.errors(), lang, fallback=fallback)


def worded(error: FieldError, choices: Mapping[tuple[str, ...], str]) -> FieldError:
    """A radio left unanswered asks to choose ("Chọn …"), not to type ("Nhập …"):
    ``choices`` maps such a field's location to its message code."""
    if error.code == "missing" and error.loc in choices:
        return replace(error, code=choices[error.loc])
    return error


def in_page_order(errors: Iterable[FieldError], order: Sequence[str]) -> list[FieldError]:
    """Errors in the order of the questions on the page (by each one's first field name);
    the error summary follows it."""

    def place(error: FieldError) -> int:
        head = str(error.loc[0]) if error.loc else ""
        return order.index(head) if head in order else len(order)

    return sorted(errors, key=place)
