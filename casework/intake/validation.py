"""Intake rules that need more than one field or today's date (the rest is in the schema).

All problems are collected and reported together, each on the field to correct. The rules
read plain values by field name (``casework.partial``): from an accepted ``IntakeCreate``,
or from what could be read of a refused one, so a refused body gets its field errors and
these in one answer. A rule whose fields could not be read does not run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from casework.children import rules as child_rules
from casework.children.rules import Known
from casework.config import DEFAULT_LATE_REPORT_DAYS
from casework.errors import FieldError
from casework.intake.schemas import IntakeCreate
from casework.partial import readable
from casework.timefmt import local_date

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Today:
    """What the rules compare with: now, the commune's zone, and after how many days a
    first receipt must be confirmed as passed on late."""

    now: datetime
    tz: ZoneInfo
    late_report_days: int = DEFAULT_LATE_REPORT_DAYS

    @property
    def date(self) -> date:
        return local_date(self.now, self.tz)


def _reporter_errors(reporter: Known) -> list[FieldError]:
    if not {"anonymous", "name", "phone"} <= reporter.keys():
        return []
    has_identity = reporter["name"] is not None or reporter["phone"] is not None
    if reporter["anonymous"] and has_identity:
        return [FieldError(("reporter", "name"), "reporter_anonymous_with_identity")]
    if not reporter["anonymous"] and not has_identity:
        return [FieldError(("reporter", "name"), "reporter_required")]
    return []


def receipt_before_birth(
    received: datetime, *, date_of_birth: date | None, birth_year: int | None, tz: ZoneInfo
) -> FieldError | None:
    """A first receipt before the child was born (the birth date, or the year if that is
    all that is known) is a slip in one of the two dates."""
    received_on = local_date(received, tz)
    if date_of_birth is not None and received_on < date_of_birth:
        birth = date_of_birth.strftime("%d/%m/%Y")
        return FieldError(("first_received_at",), "received_before_birth", {"birth": birth})
    if date_of_birth is None and birth_year is not None and received_on.year < birth_year:
        year = {"year": birth_year}
        return FieldError(("first_received_at",), "received_before_birth_year", year)
    return None


def _birth_errors(child: Known, *, received: datetime | None, today: Today) -> list[FieldError]:
    received_year = local_date(received or today.now, today.tz).year
    at = ("child",)
    shape = child_rules.birth_shape(child, at=at, today=today.date, reference_year=received_year)
    if shape or received is None or not child.keys() >= child_rules.BIRTH_FIELDS:
        # how old the child was at receipt is asked once the receipt is readable
        return shape
    born, estimate = child["date_of_birth"], child["birth_year_estimate"]
    before = receipt_before_birth(received, date_of_birth=born, birth_year=estimate, tz=today.tz)
    errors = [before] if before else []
    on = local_date(received, today.tz)
    return errors + child_rules.too_old(child, at=at, on=on, code="child_too_old")


def _child_errors(child: Known, *, received: datetime | None, today: Today) -> list[FieldError]:
    errors = _birth_errors(child, received=received, today=today)
    errors.extend(child_rules.personal_id_problems(child, at=("child",)))
    for index, entry in enumerate(child.get("circumstances") or ()):
        if entry["until"] is not None and entry["until"] < entry["since"]:
            errors.append(
                FieldError(("child", "circumstances", index, "until"), "end_before_start")
            )
    return errors


def late_days(received: datetime, today: Today) -> int | None:
    """How many days ago a first receipt was, when that is more than the configured limit
    (the report must then be confirmed as passed on late); None when it is recent."""
    if received >= today.now - timedelta(days=today.late_report_days):
        return None
    return (today.now - received).days


def _receipt_errors(known: Known, today: Today) -> list[FieldError]:
    received = known.get("first_received_at")
    if received is None:
        return []
    if received > today.now + CLOCK_SKEW:
        return [FieldError(("first_received_at",), "time_in_future")]
    days = late_days(received, today)
    if days is not None and known.get("late_report_confirmed") is False:
        return [
            FieldError(
                ("late_report_confirmed",),
                "late_report_unconfirmed",
                {"days": days, "limit": today.late_report_days},
            )
        ]
    return []


def problems(known: Known, today: Today) -> list[FieldError]:
    """Every rule between fields the intake breaks, on the fields that could be read."""
    errors = _receipt_errors(known, today)
    if "child_id" in known and "child" in known:
        if known["child_id"] is not None and known["child"] is not None:
            errors.append(FieldError(("child_id",), "child_both"))
        elif known["child_id"] is None and known["child"] is None:
            errors.append(FieldError(("child",), "child_required"))
    if isinstance(known.get("reporter"), Mapping):
        errors.extend(_reporter_errors(known["reporter"]))
    received = known.get("first_received_at")
    if received is not None and received > today.now:
        received = today.now  # one in the future is refused above; age the child as of now
    if isinstance(known.get("child"), Mapping):
        errors.extend(_child_errors(known["child"], received=received, today=today))
    return errors


def together(field_errors: Iterable[FieldError], raw: object, today: Today) -> list[FieldError]:
    """A refused body's field errors and, after them, the rules between the fields that
    could be read; one message per field (the field's own comes first)."""
    found = list(field_errors)
    refused = {error.loc for error in found}
    rules = problems(readable(IntakeCreate, raw), today)
    return found + [error for error in rules if error.loc not in refused]
