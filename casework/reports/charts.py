"""The targets' trends as server-rendered SVG line charts (pygal, no JavaScript, no CDN),
each embedded as a data URI; the page puts a table with the same numbers beside each."""

from __future__ import annotations

import pygal
from pygal.style import Style

from casework.reports.targets import Target

STYLE = Style(
    background="white",
    plot_background="white",
    colors=("#1d70b8", "#b1b4b6", "#d4351c"),
    font_family="Arial, sans-serif",
)


def trend(
    target: Target,
    *,
    months: list[str],
    this_year: list[float | None],
    last_year: list[float | None],
    labels: tuple[str, str, str],
) -> str:
    """This year's and last year's monthly values, and the goal, as an SVG data URI."""
    unit = "%" if target.per == 100 else "/100.000"
    chart = pygal.Line(
        js=[],
        style=STYLE,
        width=640,
        height=280,
        show_minor_x_labels=True,
        allow_interruptions=True,
        legend_at_bottom=True,
        value_formatter=lambda value: f"{value:.0f}{unit}",
        range=(0, max([target.goal, *(v for v in this_year + last_year if v is not None)]) * 1.1),
    )
    chart.x_labels = months
    chart.add(labels[0], this_year)
    chart.add(labels[1], last_year)
    chart.add(
        labels[2], [target.goal] * len(months), show_dots=False, stroke_style={"dasharray": "6,4"}
    )
    return chart.render_data_uri()
