"""The rules a child's record keeps, wherever it is typed: at intake (Mẫu 01), when a child
is registered without a report, and when the record is corrected.

The rules read plain values by field name (``casework.partial``), so a body refused by its
schema still gets these on the fields that could be read; a rule whose fields could not be
read does not run. ``at`` is where the child's fields sit in the body: ``("child",)`` in an
intake, ``()`` in the children API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from casework.base import label
from casework.children import personal_id
from casework.children.personal_id import PersonalId
from casework.errors import FieldError
from casework.timefmt import age_on

ADULT_AGE = 18
Known = Mapping[str, Any]  # field name -> value, for the fields that could be read
Loc = tuple[str | int, ...]
BIRTH_FIELDS = frozenset({"date_of_birth", "birth_year_estimate"})


def birth_shape(child: Known, *, at: Loc, today: date, reference_year: int) -> list[FieldError]:
    """A date of birth or an estimated year (not both, not neither), not in the future.
    ``reference_year``: the year the child must be under 18 in (the earliest estimate
    offered is 18 years before it)."""
    if not child.keys() >= BIRTH_FIELDS:
        return []
    born, estimate = child["date_of_birth"], child["birth_year_estimate"]
    if born is not None and estimate is not None:
        return [FieldError((*at, "birth_year_estimate"), "birth_both")]
    if born is None and estimate is None:
        return [FieldError((*at, "date_of_birth"), "birth_required")]
    if born is not None and born > today:
        return [FieldError((*at, "date_of_birth"), "date_in_future")]
    if born is None and estimate > today.year:
        return [
            FieldError(
                (*at, "birth_year_estimate"),
                "birth_year_range",
                {"min_year": reference_year - ADULT_AGE, "max_year": today.year},
            )
        ]
    return []


def too_old(child: Known, *, at: Loc, on: date, code: str) -> list[FieldError]:
    """A child is under 18 ``on`` that day; an estimated year this far back means 18 or
    more. ``code``: the message, which says when (at the receipt, or today)."""
    if not child.keys() >= BIRTH_FIELDS:
        return []
    born, estimate = child["date_of_birth"], child["birth_year_estimate"]
    if born is not None:
        if (age := age_on(born, on)) >= ADULT_AGE:
            return [FieldError((*at, "date_of_birth"), code, {"age": age})]
    elif estimate is not None and estimate < on.year - ADULT_AGE:
        return [FieldError((*at, "birth_year_estimate"), code, {"age": on.year - estimate})]
    return []


def personal_id_problems(child: Known, *, at: Loc) -> list[FieldError]:
    """The 12 digits against the record: a known province of birth registration, the
    century-and-sex digit, the year digits (Thông tư 07/2016/TT-BCA)."""
    if child.get("personal_id") is None or "sex" not in child:
        return []
    pid = PersonalId(child["personal_id"])
    loc = (*at, "personal_id")
    errors: list[FieldError] = []
    if not personal_id.province_known(pid.digits):
        errors.append(FieldError(loc, "personal_id_province", {"code": pid.digits[:3]}))
    if pid.sex != child["sex"]:
        errors.append(
            FieldError(
                loc,
                "personal_id_sex_mismatch",
                {
                    "id_sex": label(pid.sex, "vi").lower(),
                    "record_sex": label(child["sex"], "vi").lower(),
                    "id_sex_en": label(pid.sex, "en").lower(),
                    "record_sex_en": label(child["sex"], "en").lower(),
                },
            )
        )
    born = child.get("date_of_birth")
    record_year = born.year if born is not None else child.get("birth_year_estimate")
    if record_year is not None and pid.birth_year != record_year:
        errors.append(
            FieldError(
                loc,
                "personal_id_year_mismatch",
                {"id_year": pid.birth_year, "record_year": record_year},
            )
        )
    return errors


def record_problems(child: Known, *, at: Loc, today: date) -> list[FieldError]:
    """Every rule of a child's record as the register keeps it today: the birth, under 18
    today, and the personal id against the record."""
    errors = birth_shape(child, at=at, today=today, reference_year=today.year) or too_old(
        child, at=at, on=today, code="child_too_old_now"
    )
    return errors + personal_id_problems(child, at=at)
