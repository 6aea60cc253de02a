"""The shape of a statistic: a figure, its breakdowns, and its share or rate.

Kept apart from how each is counted (``indicators``, ``timeliness``) so the page, the
workbook, the document and the province's side-by-side view read one shape, and the
small-cell suppression (``suppress``) works on any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from casework.base import Lang, label

SMALL = 5  # a count from 1 to SMALL - 1 in a breakdown is shown as "< 5" to a province


@dataclass(frozen=True)
class Cell:
    """One row of a breakdown: its key, its words (Vietnamese, English), its count.
    ``hidden``: suppressed (shown as "< 5", or "—" where it could be derived)."""

    key: str
    words: tuple[str, str]
    value: int
    hidden: str = ""

    def text(self, lang: Lang = "vi") -> str:
        return self.words[0] if lang == "vi" else self.words[1]

    def shown(self) -> str:
        return self.hidden or f"{self.value:n}"


def cell_of(choice: StrEnum, value: int) -> Cell:
    return Cell(choice.value, (label(choice, "vi"), label(choice, "en")), value)


@dataclass(frozen=True)
class Breakdown:
    """A figure split one way (``phân tổ``). ``overlapping``: a child may sit in more than
    one cell (several forms of abuse, several groups), so the cells may add up to more
    than the total."""

    key: str
    words: tuple[str, str]
    cells: tuple[Cell, ...]
    overlapping: bool = False

    def text(self, lang: Lang = "vi") -> str:
        return self.words[0] if lang == "vi" else self.words[1]

    def value(self, key: str) -> int:
        return next((c.value for c in self.cells if c.key == key), 0)

    def shown(self, key: str) -> str:
        """A cell's count as shown (suppressed or not); "0" where the breakdown has none."""
        return next((c.shown() for c in self.cells if c.key == key), "0")


@dataclass(frozen=True)
class Figure:
    """One statistic for one period and place.

    ``per``: 100 for a share (``denominator`` the whole it is a share of), 100,000 for a
    rate per 100,000 children (``denominator`` the children living there), None for a
    plain count. ``code``: the circular's code where it gives one (Thông tư 13/2021)."""

    key: str
    code: str | None
    words: tuple[str, str]
    value: int
    denominator: int | None = None
    per: int | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    note: tuple[str, str] = ("", "")
    hidden: str = ""

    def text(self, lang: Lang = "vi") -> str:
        return self.words[0] if lang == "vi" else self.words[1]

    @property
    def rate(self) -> float | None:
        """The share (%) or the rate per 100,000, when there is a whole to divide by."""
        if self.per is None or not self.denominator:
            return None
        return self.value * self.per / self.denominator

    def shown(self) -> str:
        return self.hidden or f"{self.value:n}"

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


@dataclass(frozen=True)
class Median:
    """A median in hours over ``count`` items (None when there are none)."""

    key: str
    words: tuple[str, str]
    hours: float | None
    count: int
    by: tuple[tuple[Cell, float | None], ...] = field(default=())

    def text(self, lang: Lang = "vi") -> str:
        return self.words[0] if lang == "vi" else self.words[1]


def suppress(figure: Figure) -> Figure:
    """The figure as a province may see it: in each breakdown a count from 1 to 4 is shown
    as "< 5", and when exactly one cell of a breakdown that adds up to the total is
    hidden, the smallest other non-zero cell is hidden too ("—"), so the hidden one cannot
    be got back by subtracting the others from the total. A total from 1 to 4 is hidden
    too. Zero stays zero: it identifies nobody."""
    breakdowns = tuple(_suppress_cells(b) for b in figure.breakdowns)
    hidden = "< 5" if 0 < figure.value < SMALL else ""
    return replace(figure, breakdowns=breakdowns, hidden=hidden)


def _suppress_cells(breakdown: Breakdown) -> Breakdown:
    cells = [replace(c, hidden="< 5") if 0 < c.value < SMALL else c for c in breakdown.cells]
    hidden = [c for c in cells if c.hidden]
    if len(hidden) == 1 and not breakdown.overlapping:
        others = sorted((c for c in cells if not c.hidden and c.value > 0), key=lambda c: c.value)
        if others:
            cells = [replace(c, hidden="—") if c is others[0] else c for c in cells]
    return replace(breakdown, cells=tuple(cells))
