"""Annotated input types shared by several features' schemas.

Free text is NFC-normalised with white space collapsed (UX.md rule 14); an empty optional
field counts as not given; phone numbers are parsed as Vietnamese and stored as E.164.

Numbers and times stay within what the database and the calendar can hold, so a hostile
or mistyped value is a 422 naming its field, never a database error: an id or a page
number fits PostgreSQL's ``integer`` (``Id``, ``PageNumber``; the same types serve as path
and query parameters), and a date or a time lies between 1900 and 2100 (``Day``,
``Moment``), far enough from year 1 and 9999 that converting zones or adding a deadline
cannot overflow. Characters no column can store (NUL) are refused for every request at
the door (``casework.web.guard``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, StringConstraints
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


INT_MAX = 2**31 - 1  # PostgreSQL's integer: every id column, and the amounts of money
Id = Annotated[int, Interval(ge=1, le=INT_MAX)]
PageNumber = Annotated[int, Interval(ge=1, le=INT_MAX)]
Amount = Annotated[int, Interval(ge=0, le=INT_MAX)]
Version = Annotated[int, Interval(ge=0, le=INT_MAX)]

FIRST_YEAR, LAST_YEAR = 1900, 2100
_EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
_LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)


def _year_range() -> PydanticCustomError:
    return PydanticCustomError(
        "year_out_of_range",
        "must lie between the years {first} and {last}",
        {"first": FIRST_YEAR, "last": LAST_YEAR},
    )


def within_years(value: datetime) -> datetime:
    """A time between FIRST_YEAR and LAST_YEAR (aware or, for older fields, local)."""
    if value.tzinfo is None:  # a few older fields take a local time without its offset
        if not _EARLIEST.replace(tzinfo=None) <= value <= _LATEST.replace(tzinfo=None):
            raise _year_range()
    elif not _EARLIEST <= value <= _LATEST:  # aware comparison: no conversion, no overflow
        raise _year_range()
    return value


def _day(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _year_range()
    return value


Moment = Annotated[AwareDatetime, AfterValidator(within_years)]
MomentOrLocal = Annotated[datetime, AfterValidator(within_years)]
Day = Annotated[date, AfterValidator(_day)]
