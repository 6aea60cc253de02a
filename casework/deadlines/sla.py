"""How a running deadline looks to a person: a band, a tag with words, and a countdown.

Computed on the server when the page is made (nothing ticks in the browser, WCAG 2.2.2):
the band changes at 50 %, 75 % and 100 % of the time allowed, the same shares as the
escalation ladder, so what a person sees matches the reminders they get. Every band has
words as well as a colour (UX.md rule 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from casework.base import Lang


class Band(StrEnum):
    ok = "ok"
    warning = "warning"
    at_risk = "at_risk"
    breached = "breached"


TAGS: dict[Band, tuple[str, str, str]] = {
    # band: (Vietnamese, English, GOV.UK tag colour)
    Band.ok: ("Còn hạn", "On time", "govuk-tag--green"),
    Band.warning: ("Còn hạn", "On time", "govuk-tag--yellow"),
    Band.at_risk: ("Sắp quá hạn", "Nearly due", "govuk-tag--orange"),
    Band.breached: ("Quá hạn", "Overdue", "govuk-tag--red"),
}


@dataclass(frozen=True)
class SlaState:
    band: Band
    tag: str
    tag_class: str
    countdown: str  # "Còn 2 ngày 3 giờ" / "Quá hạn 5 giờ"
    share: float  # of the time allowed, gone


def band(*, starts_at: datetime, due_at: datetime, now: datetime) -> Band:
    if now >= due_at:
        return Band.breached
    allowed = (due_at - starts_at).total_seconds()
    used = (now - starts_at).total_seconds() / allowed if allowed > 0 else 1.0
    if used >= 0.75:
        return Band.at_risk
    if used >= 0.5:
        return Band.warning
    return Band.ok


def duration_words(span: timedelta, lang: Lang) -> str:
    """``2 ngày 3 giờ`` / ``2 days 3 hours``: the two largest units, never "0 phút"."""
    minutes = max(1, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = (
        (days, "ngày", "day", "days"),
        (hours, "giờ", "hour", "hours"),
        (minutes, "phút", "minute", "minutes"),
    )
    parts = [
        f"{n} {vi}" if lang == "vi" else f"{n} {one if n == 1 else many}"
        for n, vi, one, many in units
        if n
    ]
    return " ".join(parts[:2])


def waited(*, since: datetime, now: datetime, lang: Lang) -> str:
    """How long something has waited, in words: ``đã chờ 21 ngày`` (whole days once it is a
    day or more: a queue's age is read in days), ``đã chờ 3 giờ 20 phút`` before that."""
    span = max(now - since, timedelta(0))
    if span >= timedelta(days=1):
        days = span.days
        words = f"{days} ngày" if lang == "vi" else f"{days} day{'s' if days > 1 else ''}"
    else:
        words = duration_words(span, lang)
    return f"đã chờ {words}" if lang == "vi" else f"waiting for {words}"


def countdown(*, due_at: datetime, now: datetime, lang: Lang) -> str:
    if now >= due_at:
        words = duration_words(now - due_at, lang)
        return f"Quá hạn {words}" if lang == "vi" else f"{words} overdue"
    words = duration_words(due_at - now, lang)
    return f"Còn {words}" if lang == "vi" else f"{words} left"


def state(*, starts_at: datetime, due_at: datetime, now: datetime, lang: Lang) -> SlaState:
    current = band(starts_at=starts_at, due_at=due_at, now=now)
    vi, en, css = TAGS[current]
    allowed = (due_at - starts_at).total_seconds()
    return SlaState(
        band=current,
        tag=vi if lang == "vi" else en,
        tag_class=css,
        countdown=countdown(due_at=due_at, now=now, lang=lang),
        share=(now - starts_at).total_seconds() / allowed if allowed > 0 else 1.0,
    )
