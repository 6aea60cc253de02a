"""The legal steps of the first 12 hours as the printed plan (Mẫu 04) shows them: the
initial assessment's answers (Mẫu 02) and the emergency measures taken, by whom and when,
in the same words as the case's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from casework.base import Lang
from casework.cases import case_page
from casework.cases.schemas import CaseRead
from casework.cases.wording import Translate, event_title
from workflows.definition import Definition

LEGAL_STEPS = ("complete_assessment", "record_emergency_measures")


@dataclass(frozen=True)
class Recorded:
    title: str
    at: datetime
    details: list[tuple[str, str]]


def legal_steps(
    case: CaseRead, definition: Definition, *, lang: Lang, tr: Translate, tz: ZoneInfo
) -> list[Recorded]:
    """The latest record of each step (a reopened case may have assessed twice)."""
    found = []
    for name in LEGAL_STEPS:
        event = next((e for e in reversed(case.events) if e.event == name), None)
        if event is not None:
            details = case_page._details(event.payload, lang, tr, tz)
            found.append(Recorded(event_title(definition, name, lang, tr), event.at, details))
    return found
