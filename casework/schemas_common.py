"""Annotated input types shared by several features' schemas.

Free text is NFC-normalised with white space collapsed (UX.md rule 14); an empty optional
field counts as not given; phone numbers are parsed as Vietnamese and stored as E.164.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from casework import text
from casework.phones import InvalidPhone, to_e164


def _clean_text(value: object) -> object:
    return text.clean(value) if isinstance(value, str) else value


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not text.clean(value):
        return None
    return value


def _phone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return to_e164(value)
    except InvalidPhone:
        raise PydanticCustomError("phone_invalid", "not a Vietnamese phone number") from None


def _required(max_length: int) -> Any:
    return Annotated[
        str, BeforeValidator(_clean_text), StringConstraints(min_length=1, max_length=max_length)
    ]


def _optional(max_length: int) -> Any:
    return Annotated[
        Annotated[str, StringConstraints(max_length=max_length)] | None,
        BeforeValidator(_blank_to_none),
        BeforeValidator(_clean_text),
    ]


Name = _required(120)
Word = _required(60)
NARRATIVE_MAX = 5000  # the forms' character count says so too
Narrative = _required(NARRATIVE_MAX)
OptionalName = _optional(120)
OptionalWord = _optional(60)
ShortLine = _required(200)
OptionalLine = _optional(300)
OptionalNarrative = _optional(NARRATIVE_MAX)
OptionalPhone = Annotated[
    str | None,
    BeforeValidator(_blank_to_none),
    BeforeValidator(_clean_text),
    AfterValidator(_phone),
]
