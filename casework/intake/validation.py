"""Intake rules that need more than one field or today's date (the rest is in the schema).

All problems are collected and reported together, each on the field to correct.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from casework.base import label
from casework.children.personal_id import PersonalId
from casework.children.schemas import ChildCreate
from casework.errors import FieldError, InvalidInput
from casework.intake.schemas import IntakeCreate, ReporterIn
from casework.timefmt import age_on, local_date

ADULT_AGE = 18
CLOCK_SKEW = timedelta(minutes=5)


def _reporter_errors(reporter: ReporterIn) -> list[FieldError]:
    has_identity = reporter.name is not None or reporter.phone is not None
    if reporter.anonymous and has_identity:
        return [FieldError(("reporter", "name"), "reporter_anonymous_with_identity")]
    if not reporter.anonymous and not has_identity:
        return [FieldError(("reporter", "name"), "reporter_required")]
    return []


def _child_errors(
    child: ChildCreate, *, received: datetime, now: datetime, tz: ZoneInfo
) -> list[FieldError]:
    errors: list[FieldError] = []
    today = local_date(now, tz)
    received_on = local_date(received, tz)
    received_on_year = received_on.year
    if child.date_of_birth is not None and child.birth_year_estimate is not None:
        errors.append(FieldError(("child", "birth_year_estimate"), "birth_both"))
    elif child.date_of_birth is None and child.birth_year_estimate is None:
        errors.append(FieldError(("child", "date_of_birth"), "birth_required"))
    elif child.date_of_birth is not None:
        if child.date_of_birth > today:
            errors.append(FieldError(("child", "date_of_birth"), "date_in_future"))
        elif (age := age_on(child.date_of_birth, received_on)) >= ADULT_AGE:
            errors.append(FieldError(("child", "date_of_birth"), "child_too_old", {"age": age}))
    elif child.birth_year_estimate is not None:
        estimate = child.birth_year_estimate
        if not received_on_year - ADULT_AGE <= estimate <= today.year:
            # An estimate this far back means the child is certainly 18 or more.
            older = estimate < received_on_year - ADULT_AGE
            errors.append(
                FieldError(
                    ("child", "birth_year_estimate"),
                    "child_too_old",
                    {"age": received_on_year - estimate},
                )
                if older
                else FieldError(
                    ("child", "birth_year_estimate"),
                    "birth_year_range",
                    {"min_year": received_on_year - ADULT_AGE, "max_year": today.year},
                )
            )
    if child.personal_id is not None:
        errors.extend(_personal_id_errors(child))
    for index, entry in enumerate(child.circumstances):
        if entry.until is not None and entry.until < entry.since:
            errors.append(
                FieldError(("child", "circumstances", index, "until"), "end_before_start")
            )
    return errors


def _personal_id_errors(child: ChildCreate) -> list[FieldError]:
    assert child.personal_id is not None
    pid = PersonalId(child.personal_id)
    errors: list[FieldError] = []
    if pid.sex != child.sex:
        errors.append(
            FieldError(
                ("child", "personal_id"),
                "personal_id_sex_mismatch",
                {
                    "id_sex": label(pid.sex, "vi").lower(),
                    "record_sex": label(child.sex, "vi").lower(),
                    "id_sex_en": label(pid.sex, "en").lower(),
                    "record_sex_en": label(child.sex, "en").lower(),
                },
            )
        )
    record_year = (
        child.date_of_birth.year if child.date_of_birth is not None else child.birth_year_estimate
    )
    if record_year is not None and pid.birth_year != record_year:
        errors.append(
            FieldError(
                ("child", "personal_id"),
                "personal_id_year_mismatch",
                {"id_year": pid.birth_year, "record_year": record_year},
            )
        )
    return errors


def check_intake(data: IntakeCreate, *, now: datetime, tz: ZoneInfo) -> None:
    """Raise ``InvalidInput`` listing every rule the intake breaks."""
    errors: list[FieldError] = []
    if data.first_received_at > now + CLOCK_SKEW:
        errors.append(FieldError(("first_received_at",), "time_in_future"))
    if data.child_id is not None and data.child is not None:
        errors.append(FieldError(("child_id",), "child_both"))
    elif data.child_id is None and data.child is None:
        errors.append(FieldError(("child",), "child_required"))
    errors.extend(_reporter_errors(data.reporter))
    if data.child is not None:
        received = min(data.first_received_at, now)
        errors.extend(_child_errors(data.child, received=received, now=now, tz=tz))
    if errors:
        raise InvalidInput(errors)
