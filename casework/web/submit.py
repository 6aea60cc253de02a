"""A posted form, validated by the API's own schema: what was typed, the data, the errors.

Views of the work queues and the administration pages take the posted fields with
``FormItems`` (read once, before the view runs in its thread) and ``validate`` them with
the same pydantic schema the JSON API uses. A refused form is shown again with
everything typed (``typed``, by field name) and the error summary (``errors``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from casework.base import Lang
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
    schema: type[M], items: list[tuple[str, str]], *, tz: ZoneInfo, lang: Lang
) -> Submission[M]:
    """``schema`` applied to the posted fields (see ``casework.web.forms.nest``)."""
    typed = {name: value for name, value in items if name != "csrf_token"}
    try:
        return Submission(typed, schema.model_validate(nest(items, tz=tz)))
    except ValidationError as exc:
        return Submission(typed, errors=FormErrors.from_exception(exc, lang))
