"""The statistics as an Excel workbook: one sheet per indicator with its breakdowns, this
period beside the same period of the previous year.

Counts only, never a child's name (aggregate figures). Still marked with its confidentiality
level and distribution scope (NĐ56 Đ24 k3): in a small commune a breakdown cell can point
at a child. Numbers are numbers (Excel sums them); shares and rates are computed by the
application and written as values with their formula in words in the heading.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from casework.reports.figures import Figure, Median
from casework.reports.statistics import Statistics

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEVEL = "Mức độ bảo mật: HẠN CHẾ — số liệu tổng hợp, không có thông tin cá nhân của trẻ em"
SCOPE = "Phạm vi phổ biến: {scope}; không công bố số liệu chi tiết dưới 5 trẻ ra ngoài phạm vi này."
# Sheet names: at most 31 characters, unique.
SHEETS = {
    "abused_children": "0101 Trẻ em bị xâm hại",
    "special_circumstances": "Trẻ em có HCĐB",
    "supported_children": "Trẻ em có HCĐB được trợ giúp",
    "clock_emergency_measures": "Can thiệp khẩn cấp 12 giờ",
    "clock_plan_draft": "Lập kế hoạch 5 ngày",
    "clock_plan_approval": "Phê duyệt kế hoạch 2 ngày",
    "declined_tasks": "Nhiệm vụ không thực hiện",
}


def _rate(figure: Figure) -> str:
    if figure.rate is None:
        return ""
    if figure.per == 100:
        return f"{figure.rate:.1f} %"
    return f"{figure.rate:.1f} / 100.000 trẻ em"


class _Book:
    def __init__(self, stats: Statistics, *, made_by: str, made_at: datetime, scope: str):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.stats = stats
        self.bold = self.book.add_format({"bold": True})
        self.title = self.book.add_format({"bold": True, "font_size": 13})
        self.red = self.book.add_format({"bold": True, "font_color": "#d4351c"})
        self.head = self.book.add_format({"bold": True, "border": 1, "text_wrap": True})
        self.cell = self.book.add_format({"border": 1})
        self.number = self.book.add_format({"border": 1, "num_format": "#,##0"})
        self.lines = (
            (LEVEL, self.red),
            (SCOPE.format(scope=scope), None),
            (f"Người xuất: {made_by}; lúc {made_at:%H:%M ngày %d/%m/%Y} (giờ Việt Nam)", None),
        )
        self.book.set_properties(
            {"title": f"Thống kê trẻ em — {stats.place}", "author": made_by, "comments": LEVEL}
        )

    def _top(self, sheet: Worksheet, title: str, code: str | None) -> int:
        sheet.set_column(0, 0, 44)
        sheet.set_column(1, 2, 20)
        sheet.set_header("&LHẠN CHẾ&C" + title.replace("&", "&&")[:80])
        sheet.set_footer("&RTrang &P/&N")
        row = 0
        for text, style in self.lines:
            sheet.write(row, 0, text, style)
            row += 1
        named = f"{code} — {title}" if code else title
        sheet.write(row, 0, f"{named} — {self.stats.place}", self.title)
        row += 1
        if code:
            sheet.write(row, 0, "Theo Thông tư 13/2021/TT-BLĐTBXH", None)
            row += 1
        sheet.write_row(
            row + 1,
            0,
            ("", self.stats.now.period.label(), f"Cùng kỳ: {self.stats.before.period.label()}"),
            self.head,
        )
        return row + 2

    def count(self, sheet: Worksheet, row: int, column: int, value: int, hidden: str) -> None:
        """A count as a number, or as the page shows it when it is suppressed ("< 5"):
        the workbook never gives a province what its page hides."""
        if hidden:
            sheet.write_string(row, column, hidden, self.cell)
        else:
            sheet.write_number(row, column, value, self.number)

    def figure(self, now: Figure, before: Figure) -> None:
        sheet = self.book.add_worksheet(SHEETS.get(now.key, now.key[:31]))
        row = self._top(sheet, now.text(), now.code)
        sheet.write(row, 0, "Tổng số", self.head)
        self.count(sheet, row, 1, now.value, now.hidden)
        self.count(sheet, row, 2, before.value, before.hidden)
        row += 1
        if now.per is not None:
            what = "Tỷ lệ (%)" if now.per == 100 else "Trên 100.000 trẻ em"
            sheet.write(row, 0, what, self.head)
            sheet.write(row, 1, _rate(now) or "chưa có số liệu", self.cell)
            sheet.write(row, 2, _rate(before) or "chưa có số liệu", self.cell)
            row += 1
        for split, earlier in zip(now.breakdowns, before.breakdowns, strict=True):
            row += 1
            sheet.write(row, 0, f"Phân tổ: {split.text()}", self.bold)
            row += 1
            for cell in split.cells:
                sheet.write(row, 0, cell.text(), self.cell)
                self.count(sheet, row, 1, cell.value, cell.hidden)
                then = next((c for c in earlier.cells if c.key == cell.key), None)
                self.count(sheet, row, 2, then.value if then else 0, then.hidden if then else "")
                row += 1
            if split.overlapping:
                sheet.write(
                    row, 0, "Một trẻ có thể thuộc nhiều dòng: tổng các dòng có thể lớn hơn tổng số."
                )
                row += 1
        if now.note[0]:
            sheet.write(row + 1, 0, now.note[0])

    def median(self, now: Median, before: Median) -> None:
        sheet = self.book.add_worksheet("Thời gian phản hồi")
        row = self._top(sheet, now.text(), None)

        def hours(value: float | None) -> str:
            return "—" if value is None else f"{value:.1f}"

        sheet.write(row, 0, f"Tất cả cơ quan ({now.count} nhiệm vụ)", self.head)
        sheet.write(row, 1, hours(now.hours), self.cell)
        sheet.write(row, 2, hours(before.hours), self.cell)
        earlier = {cell.key: value for cell, value in before.by}
        for cell, value in now.by:
            row += 1
            sheet.write(row, 0, f"{cell.text()} ({cell.value} nhiệm vụ)", self.cell)
            sheet.write(row, 1, hours(value), self.cell)
            sheet.write(row, 2, hours(earlier.get(cell.key)), self.cell)

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def workbook(stats: Statistics, *, made_by: str, made_at: datetime, scope: str) -> bytes:
    """The workbook's bytes (a few sheets of counts: small, built in memory)."""
    book = _Book(stats, made_by=made_by, made_at=made_at, scope=scope)
    pairs: Sequence[tuple[Figure, Figure]] = [
        *zip(stats.now.indicators, stats.before.indicators, strict=True),
        *zip(stats.now.clocks, stats.before.clocks, strict=True),
        (stats.now.declined, stats.before.declined),
    ]
    for now, before in pairs:
        book.figure(now, before)
    book.median(stats.now.first_action, stats.before.first_action)
    return book.close()
