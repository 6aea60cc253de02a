"""An agency named as people write it in a list: its full name without diacritics, or the
beginning of it ("Công an" is "Công an xã Thất Khê") when only one of the commune's
agencies begins so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlmodel import Session, select

from casework import text
from casework.agencies.models import Agency

UNKNOWN = "import_agency_unknown"
AMBIGUOUS = "import_agency_ambiguous"


def active_agencies(session: Session, *, commune_id: int) -> Sequence[Agency]:
    return session.exec(
        select(Agency).where(Agency.commune_id == commune_id, Agency.is_active)
    ).all()


def agency_names(agencies: Iterable[Agency]) -> dict[str, int]:
    """Folded name -> id, the form ``find`` looks names up in."""
    return {text.fold(agency.name): agency.id for agency in agencies if agency.id is not None}


def find(typed: str, names: dict[str, int]) -> int | str:
    """The agency's id, or why not (``UNKNOWN``, ``AMBIGUOUS``: a message code)."""
    key = text.fold(typed)
    if key in names:
        return names[key]
    starting = [agency_id for name, agency_id in names.items() if name.startswith(key + " ")]
    if len(starting) == 1:
        return starting[0]
    return AMBIGUOUS if starting else UNKNOWN
