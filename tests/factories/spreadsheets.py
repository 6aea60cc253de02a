"""Spreadsheets as communes send them, built in memory for the import's tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter

HEADINGS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân",
    "Thôn/bản", "Nhóm hoàn cảnh", "Họ tên mẹ", "Điện thoại",
)  # fmt: skip


class Formula:
    """A cell holding a formula and the value Excel last computed for it."""

    def __init__(self, formula: str, value: Any) -> None:
        self.formula, self.value = formula, value


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    headings: Sequence[str] = HEADINGS,
    title: str | None = None,
    merged_header: dict[str, tuple[int, Sequence[str]]] | None = None,
    numbering: bool = False,
) -> bytes:
    """A workbook: an optional title row and a blank line, the headings (or, with
    ``merged_header``, a heading merged over two columns above sub-headings), an optional
    "(1) (2) …" line, then ``rows``. Dates and datetimes become Excel dates."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    r = 0
    if title:
        sheet.merge_range(0, 0, 0, len(headings) - 1, title)
        r = 2
    if merged_header:
        for index, heading in enumerate(headings):
            if heading in merged_header:
                span, subs = merged_header[heading]
                sheet.merge_range(r, index, r, index + span - 1, heading)
                for offset, sub in enumerate(subs):
                    sheet.write_string(r + 1, index + offset, sub)
            elif heading and not any(
                index in range(i + 1, i + s)
                for i, h in enumerate(headings)
                if h in merged_header
                for s in [merged_header[h][0]]
            ):
                sheet.merge_range(r, index, r + 1, index, heading)
        r += 2
    else:
        sheet.write_row(r, 0, headings)
        r += 1
    if numbering:
        sheet.write_row(r, 0, [f"({n})" for n in range(1, len(headings) + 1)])
        r += 1
    for row in rows:
        for c, value in enumerate(row):
            if isinstance(value, Formula):
                sheet.write_formula(r, c, value.formula, None, value.value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(r, c, value, day)
            elif value is not None:
                sheet.write(r, c, value)
        r += 1
    book.close()
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    lines = [delimiter.join(str(v) for v in row) for row in [HEADINGS, *rows]]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data
