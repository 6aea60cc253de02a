"""The six-monthly or annual report as a Word document (python-docx), following seed 002's
Phụ lục 01 outline: the commune's heading and the national motto, the confidentiality level
and distribution scope on the first page (NĐ56 Đ24 k3), then the outline's parts with the
people's sections under their headings and the figures from the data in tables, each beside
the same period of the previous year. Counts only: no child's name is ever in it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table

from casework.reports.figures import Figure
from casework.reports.outline import OUTLINE
from casework.reports.statistics import Statistics

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LEVEL = "Độ mật: HẠN CHẾ (số liệu tổng hợp về trẻ em; không có thông tin cá nhân của trẻ em)"
SCOPE = (
    "Phạm vi phổ biến: {recipient}; Ủy ban nhân dân {commune}; lưu hồ sơ công tác trẻ em. "
    "Không công bố số liệu chi tiết dưới 5 trẻ em ra ngoài phạm vi này "
    "(Nghị định 56/2017/NĐ-CP, Điều 24 khoản 3)."
)
TO_WRITE = "(Nội dung do cán bộ phụ trách viết.)"
# Where the figures go: under these sections of the outline.
FIGURES_UNDER = {"protection": ("indicators", "clocks"), "comparison": ("summary",)}


def _row(table: Table, *texts: str, bold: bool = False) -> None:
    cells = table.add_row().cells
    for cell, text in zip(cells, texts, strict=True):
        cell.text = text
        if bold:
            for run in cell.paragraphs[0].runs:
                run.bold = True


def _rate(figure: Figure) -> str:
    if figure.rate is None:
        return "—"
    return f"{figure.rate:.1f}%" if figure.per == 100 else f"{figure.rate:.1f}/100.000 trẻ em"


def _figure_table(doc: Document, now: Figure, before: Figure, stats: Statistics) -> None:
    named = f"{now.text()} (chỉ tiêu {now.code})" if now.code else now.text()
    doc.add_paragraph(named, style="List Bullet")
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text = "", stats.now.period.label()
    head[2].text = f"Cùng kỳ ({stats.before.period.label()})"
    _row(table, "Tổng số", f"{now.value}", f"{before.value}", bold=True)
    if now.per is not None:
        what = "Tỷ lệ" if now.per == 100 else "Trên 100.000 trẻ em"
        _row(table, what, _rate(now), _rate(before))
    for split, earlier in zip(now.breakdowns, before.breakdowns, strict=True):
        _row(table, f"Theo {split.text().lower()}", "", "", bold=True)
        for cell in split.cells:
            _row(table, f"   {cell.text()}", f"{cell.value}", f"{earlier.value(cell.key)}")


def _summary_table(doc: Document, stats: Statistics) -> None:
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text, head[2].text = "Chỉ tiêu", "Kỳ này", "Cùng kỳ năm trước"
    now, before = stats.now, stats.before
    for current, earlier in zip(
        (*now.indicators, *now.clocks, now.declined),
        (*before.indicators, *before.clocks, before.declined),
        strict=True,
    ):
        shown = f"{current.value}" + (f" ({_rate(current)})" if current.rate is not None else "")
        was = f"{earlier.value}" + (f" ({_rate(earlier)})" if earlier.rate is not None else "")
        _row(table, current.text(), shown, was)


def report_document(
    stats: Statistics,
    *,
    commune: str,
    province: str,
    title: str,
    recipient: str,
    sections: Mapping[str, str],
    day: date,
) -> bytes:
    """The document's bytes."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    top = doc.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    left.text = f"ỦY BAN NHÂN DÂN\n{commune.upper()}\n\nSố:      /BC-UBND"
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for cell in (left, right):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in cell.paragraphs[0].runs:
            run.bold = True
    dated = doc.add_paragraph(
        f"{commune}, {province}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    )
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text in (LEVEL, SCOPE.format(recipient=recipient, commune=commune)):
        para = doc.add_paragraph()
        run = para.add_run(text)
        run.bold = text == LEVEL
        run.font.size = Pt(11)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(f"BÁO CÁO\n{title}")
    run.bold = True
    doc.add_paragraph(
        f"Kỳ báo cáo: {stats.now.period.label()} (số liệu từ {stats.now.period.first:%d/%m/%Y}"
        f" đến {stats.now.period.last:%d/%m/%Y}), so với cùng kỳ năm trước."
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in OUTLINE:
        doc.add_heading(f"{part.numeral}. {part.title.upper()}", level=1)
        for n, (key, words) in enumerate(part.sections, start=1):
            doc.add_heading(f"{n}. {words}", level=2)
            doc.add_paragraph(sections.get(key) or TO_WRITE)
            for block in FIGURES_UNDER.get(key, ()):
                if block == "summary":
                    _summary_table(doc, stats)
                    continue
                pairs = zip(getattr(stats.now, block), getattr(stats.before, block), strict=True)
                for now, before in pairs:
                    _figure_table(doc, now, before, stats)
    doc.add_paragraph()
    doc.add_paragraph(f"Nơi nhận:\n- {recipient};\n- Lưu: VT.")
    signed = doc.add_paragraph("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.core_properties.title = title
    doc.core_properties.comments = LEVEL
    doc.save(buffer)
    return buffer.getvalue()
