"""How many records are clean, per village and over time: the daily snapshot and its chart.

The housekeeping tick takes each commune's figure once per local day
(``take_due``). Any number of processes may tick at once: a commune already counted
today is skipped, and two that count it together insert the same rows, of which the
unique indexes keep the first (``ON CONFLICT DO NOTHING``), so there is one row per
village and day whatever the race.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pygal
import sqlalchemy as sa
from pygal.style import Style
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from casework.children.models import Child
from casework.communes.models import Commune, Village
from casework.registry import quality
from casework.registry.quality_models import DataQualitySnapshot

_S = DataQualitySnapshot.__table__
_INSERT = {
    name: insert(_S).on_conflict_do_nothing().returning(_S.c.id)
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


def take(session: Session, *, commune_id: int, day: date, now: datetime) -> int:
    """Count the commune's clean records per village for ``day``; the rows inserted (0
    when another process was first). The caller commits."""
    found = quality.counts(session, scope=Child.commune_id == commune_id)
    rows = [
        {
            "commune_id": commune_id,
            "village_id": village.village_id,
            "day": day,
            "total": village.total,
            "clean": village.clean,
            "taken_at": now,
        }
        for village in found.villages
    ]
    if not rows:
        return 0
    statement = _INSERT[session.get_bind().dialect.name]
    return len(session.execute(statement, rows).all())


def due_communes(session: Session, *, day: date) -> list[int]:
    """Communes with no snapshot for ``day`` yet."""
    taken = sa.select(_S.c.id).where(_S.c.commune_id == Commune.id, _S.c.day == day).exists()
    return list(session.execute(sa.select(Commune.id).where(~taken).order_by(Commune.id)).scalars())


@dataclass(frozen=True)
class Day:
    day: date
    total: int
    clean: int

    @property
    def share(self) -> float:
        return self.clean / self.total if self.total else 1.0


@dataclass(frozen=True)
class Trend:
    """The commune's figure per day (oldest first) and the latest day's per village."""

    days: list[Day]
    villages: list[tuple[str | None, int, int]]  # village, total, clean

    @property
    def latest(self) -> Day | None:
        return self.days[-1] if self.days else None


def trend(session: Session, *, commune_id: int, today: date, days: int = 30) -> Trend:
    """The last ``days`` days of snapshots of one commune."""
    since = today - timedelta(days=days - 1)
    per_day = session.execute(
        sa.select(_S.c.day, sa.func.sum(_S.c.total), sa.func.sum(_S.c.clean))
        .where(_S.c.commune_id == commune_id, _S.c.day >= since, _S.c.day <= today)
        .group_by(_S.c.day)
        .order_by(_S.c.day)
    ).all()
    found = [Day(day, int(total), int(clean)) for day, total, clean in per_day]
    villages: list[tuple[str | None, int, int]] = []
    if found:
        villages = [
            (name, total, clean)
            for name, total, clean in session.execute(
                sa.select(Village.name, _S.c.total, _S.c.clean)
                .select_from(_S)
                .outerjoin(Village, Village.id == _S.c.village_id)
                .where(_S.c.commune_id == commune_id, _S.c.day == found[-1].day)
                .order_by(sa.nulls_last(Village.name.asc()))
            )
        ]
    return Trend(found, villages)


def chart(found: Trend, *, title: str, series: str) -> str:
    """The share of clean records per day as an SVG line chart (a data URI for an
    ``<img>``: the page's Content-Security-Policy allows no inline style, an image may
    carry its own). No JavaScript: pygal's tooltips script is left out."""
    style = Style(background="white", plot_background="white", colors=("#00703c",))
    line = pygal.Line(
        title=title,
        js=[],
        style=style,
        width=640,
        height=280,
        range=(0, 100),
        show_legend=False,
        x_label_rotation=30,
        show_minor_x_labels=False,
        value_formatter=lambda value: f"{value:.0f} %",
    )
    line.x_labels = [day.day.strftime("%d/%m") for day in found.days]
    line.x_labels_major = line.x_labels[:: max(1, len(found.days) // 6)]
    line.add(series, [round(100 * day.share, 1) for day in found.days])
    return line.render_data_uri()


@dataclass(frozen=True)
class Board:
    """The dashboard's part: the trend and its chart (empty until the first snapshot)."""

    trend: Trend
    chart: str | None


def board(session: Session, *, commune_id: int, today: date) -> Board:
    """The clean-records figure of the last 30 days, for the supervisor's dashboard."""
    found = trend(session, commune_id=commune_id, today=today)
    drawn = None
    if found.days:
        drawn = chart(found, title="Tỷ lệ hồ sơ trẻ em đạt (%)", series="Hồ sơ đạt")
    return Board(found, drawn)
