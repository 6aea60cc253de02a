"""Consent before a case leaves the commune (Luật Trẻ em Đ33, NĐ56 Đ33; DOMAIN.md §4).

Disclosing a child's data needs the consent of the parent or guardian and, when the child
is 7 or older, of the child; a recorded legal ground (e.g. a court's request) replaces it.
"""

from __future__ import annotations

from datetime import date

from casework.errors import FieldError, InvalidInput
from casework.timefmt import age_on

CHILD_CONSENT_AGE = 7


def age_of(*, date_of_birth: date | None, birth_year: int, on: date) -> int:
    """Completed years; with only a birth year, the youngest the child can be."""
    if date_of_birth is not None:
        return age_on(date_of_birth, on)
    return on.year - birth_year - 1


def require(
    *,
    date_of_birth: date | None,
    birth_year: int,
    guardian_consented: bool | None,
    child_consented: bool | None,
    legal_ground: str | None,
    on: date,
) -> None:
    """Refuse (422, per field) a referral outside the commune without the consents needed."""
    if legal_ground:
        return
    missing = []
    if guardian_consented is not True:
        missing.append(FieldError(("guardian_consented",), "consent_required"))
    age = age_of(date_of_birth=date_of_birth, birth_year=birth_year, on=on)
    if age >= CHILD_CONSENT_AGE and child_consented is not True:
        missing.append(FieldError(("child_consented",), "consent_required"))
    if missing:
        raise InvalidInput(missing)
