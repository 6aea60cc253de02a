"""The dry run's report in words: on the page (the first lines) and as a workbook (all of
them), each line a row of the file, its column as the file heads it, and what to do."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from casework.base import Lang
from casework.registry.imports.mapping import Fields
from casework.registry.imports.messages import say
from casework.registry.imports.models import ImportJob
from casework.web.forms import FormErrors

SHOWN = 200  # lines on the page; the workbook has every one


@dataclass(frozen=True)
class Line:
    row: int
    column: str
    message: str
    note: bool


def _label(fields: Fields, name: str | None, lang: Lang) -> str:
    if name is None or name not in fields.names:
        return "dòng" if lang == "vi" else "row"
    spec = fields.spec(name)
    return (spec.label_vi if lang == "vi" else spec.label_en).lower()


def _heading(job: ImportJob, name: str | None) -> str:
    if name and name in job.mapping:
        return job.headings[job.mapping.index(name)] or ""
    return ""


def lines(job: ImportJob, fields: Fields, lang: Lang, *, limit: int | None = None) -> list[Line]:
    shown = job.report if limit is None else job.report[:limit]
    found = []
    for row, name, code, params, note in shown:
        field_name = name if isinstance(name, str) else None
        message = say(str(code), lang, label=_label(fields, field_name, lang),
                      params=dict(params) if isinstance(params, dict) else {})  # fmt: skip
        found.append(Line(int(row), _heading(job, field_name), message, bool(note)))  # type: ignore[call-overload]
    return found


def problem_text(job: ImportJob, lang: Lang) -> str | None:
    if job.problem is None:
        return None
    return say(job.problem, lang, label="", params=dict(job.problem_params))


def file_errors(code: str, params: dict[str, Any], lang: Lang, tz: ZoneInfo) -> FormErrors:
    """A refused upload, said next to the file field."""
    shown = {
        key: value.astimezone(tz).strftime("%d/%m/%Y") if isinstance(value, datetime) else value
        for key, value in params.items()
    }
    message = say(code, lang, label="", params=shown)
    return FormErrors([("file", message)], {"file": message})


@dataclass(frozen=True)
class Column:
    index: int
    heading: str
    field: str | None


def columns(job: ImportJob, fields: Fields, lang: Lang) -> list[Column]:
    mapping = list(job.mapping) + [None] * (len(job.headings) - len(job.mapping))
    return [
        Column(index, heading, mapping[index])
        for index, heading in enumerate(job.headings)
        if heading or mapping[index]
    ]


def workbook(job: ImportJob, fields: Fields, lang: Lang) -> bytes:
    """Every line of the report: Dòng, Cột, Nội dung (and whether it is an error)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Báo cáo" if lang == "vi" else "Report")
    bold = book.add_format({"bold": True})
    titles = ("Dòng", "Cột", "Loại", "Nội dung") if lang == "vi" else (
        "Row", "Column", "Kind", "Message")  # fmt: skip
    sheet.write_row(0, 0, titles, bold)
    error, note = ("Lỗi", "Ghi chú") if lang == "vi" else ("Error", "Note")
    for index, line in enumerate(lines(job, fields, lang), start=1):
        sheet.write_number(index, 0, line.row)
        sheet.write_string(index, 1, line.column)
        sheet.write_string(index, 2, note if line.note else error)
        sheet.write_string(index, 3, line.message)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 3, 100)
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
