"""A posted form, validated by the API's own schema: what was typed, the data, the errors.

Views of the work queues and the administration pages take the posted fields with
``FormItems`` (read once, before the view runs in its thread) and ``validate`` them with
the same pydantic schema the JSON API uses. A refused form is shown again with
everything typed (``typed``, by field name) and the error summary (``errors``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from casework.base import Lang
from casework.errors import FieldError, from_pydantic
from casework.web import date_fields
from casework.web.date_fields import DateField
from casework.web.forms import FormErrors, nest

M = TypeVar("M", bound=BaseModel)


async def form_items(request: Request) -> list[tuple[str, str]]:
    """The posted text fields, in order (a JSON or empty body has none)."""
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


FormItems = Annotated[list[tuple[str, str]], Depends(form_items)]


@dataclass
class Submission(Generic[M]):
    typed: dict[str, str]
    data: M | None = None
    errors: FormErrors = field(default_factory=FormErrors)


def validate(
    schema: type[M],
    items: list[tuple[str, str]],
    *,
    tz: ZoneInfo,
    lang: Lang,
    choices: Collection[str] = (),
    dates: Collection[DateRule] = (),
) -> Submission[M]:
    """``schema`` applied to the posted fields (see ``casework.web.forms.nest``).

    ``choices``: fields picked from a list, so a missing one reads "Chọn …" rather than
    "Nhập …". ``dates``: fields typed as day, month, year and time, checked part by part
    first so the message says which part is wrong (UX.md §1.4), not the ISO form the API
    would name."""
    typed = {name: value for name, value in items if name != "csrf_token"}
    problems = [p for rule in dates for p in rule.problems(typed)]
    try:
        data = schema.model_validate(nest(items, tz=tz))
        found: list[FieldError] = []
    except ValidationError as exc:
        data, found = None, [from_pydantic(error) for error in exc.errors()]
    refused = {problem.loc[:1] for problem in problems}  # said once, part by part
    found = [
        FieldError(e.loc, "missing_choice", e.params)
        if e.code == "missing" and _named(e, choices)
        else e
        for e in found
        if e.loc[:1] not in refused
    ]
    errors = FormErrors.of([*problems, *found], lang)
    return Submission(typed, None if errors else data, errors)


def _named(error: FieldError, names: Collection[str]) -> bool:
    return ".".join(str(part) for part in error.loc) in names


@dataclass(frozen=True)
class DateRule:
    """A date typed in three fields (``name.day``, ``.month``, ``.year``), maybe with a
    time (``name.time``, HH:MM), maybe optional."""

    name: str
    time: bool = True
    required: bool = True

    def problems(self, typed: Mapping[str, str]) -> list[FieldError]:
        """What is wrong, in the order the UX guide checks it (``casework.web.date_fields``):
        missing, incomplete, impossible; then the time. ``at`` names the input to fix."""
        field = DateField(self.name, with_time=self.time)
        if not any(field.typed(typed).values()):
            return [FieldError(field.loc, "missing")] if self.required else []
        problem = date_fields.check(field, typed)
        if problem is None:
            return []
        # A wrong time is said next to the time's own input; the rest next to the date.
        loc = (*field.loc, "time") if problem.part == "time" else field.loc
        return [FieldError(loc, problem.error.code, {**problem.error.params, "at": problem.part})]
