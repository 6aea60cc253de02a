"""Reading a spreadsheet: what kind of file it is, where its header row is, and its rows.

XLSX, XLSM and old XLS files are read with python-calamine (the Rust reader calamine: a
50,000-row sheet in about a second, formulas as the values Excel last computed, dates as
dates); CSV with the standard library (UTF-8 with or without its byte-order mark, comma or
semicolon). A password-protected workbook is an encrypted OLE container, recognised before
any reader is tried. Every refusal is a ``FileProblem`` with a message code
(``casework.registry.imports.messages``), never a reader's own exception.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from casework import text

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
HEADER_SCAN_ROWS = 30  # the header row is looked for in the first rows only
# A row of column numbers under the headings ("(1) (2) (3)…" in the official forms).
_NUMBERING = re.compile(r"^\(?\d{1,3}\)?$")

Cell = Any  # str, int, float, bool, date, datetime, time, timedelta or "" (empty)


class FileProblem(Exception):
    """The file cannot be read as a list: ``code`` names the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Table:
    """A sheet's header row (1-based row number, one heading per column) and its data rows
    as (row number in the sheet, cells); empty rows are left out."""

    header_row: int
    headings: list[str]
    rows: list[tuple[int, list[Cell]]]


def kind_of(data: bytes, file_name: str) -> str:
    """ "xlsx", "xls" or "csv", from the file's first bytes (its name only for text)."""
    if not data:
        raise FileProblem("import_file_empty")
    if data[:8] == OLE_MAGIC:
        # An Excel file saved with a password is an OLE container holding the encrypted
        # workbook ("EncryptedPackage"); any other OLE file is an Excel 97-2003 workbook.
        if ENCRYPTED_STREAM in data[:1_000_000] or ENCRYPTED_STREAM in data[-1_000_000:]:
            raise FileProblem("import_file_encrypted")
        return "xls"
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise FileProblem("import_file_corrupt") from exc
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise FileProblem("import_file_kind")
        return "xlsx"
    if file_name.lower().endswith((".csv", ".txt")) or _looks_like_text(data):
        return "csv"
    raise FileProblem("import_file_kind")


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" not in head and (b"," in head or b";" in head)


def read(data: bytes, kind: str, *, recognise: Callable[[str], str | None]) -> Table:
    """The first sheet's table; ``recognise`` names the target's field a heading is (or
    an ignored column's key), so the header row is found below titles ("DANH SÁCH TRẺ
    EM…") and blank lines."""
    grid = _csv_grid(data) if kind == "csv" else _workbook_grid(data)
    return _table(grid, recognise)


def _workbook_grid(data: bytes) -> Iterator[list[Cell]]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise FileProblem("import_file_no_rows")
        sheet = book.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except CalamineError as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise FileProblem("import_file_encrypted") from exc
        raise FileProblem("import_file_corrupt") from exc
    except (ValueError, OSError, ZipError) as exc:
        raise FileProblem("import_file_corrupt") from exc
    _fill_merged(rows, merged)
    return iter(rows)


ZipError = zipfile.BadZipFile


def _fill_merged(rows: list[list[Cell]], merged: Sequence[tuple[tuple[int, int], ...]]) -> None:
    """A merged cell's value is in its top-left cell only: give it to every cell of the
    range that lies in the first rows (headings merged over columns or over two rows)."""
    for (top, left), (bottom, right) in merged:
        if top >= HEADER_SCAN_ROWS or top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, right + 1):
                if c < len(row) and row[c] == "":
                    row[c] = value


def _csv_grid(data: bytes) -> Iterator[list[Cell]]:
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("import_csv_encoding") from exc
    first = decoded[:4096].split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return iter(list(csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)))
    except csv.Error as exc:
        raise FileProblem("import_file_corrupt") from exc


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _heading(cell: Cell) -> str:
    return text.clean(str(cell)) if not _blank(cell) else ""


def _table(grid: Iterator[list[Cell]], recognise: Callable[[str], str | None]) -> Table:
    head: list[list[Cell]] = []
    for row in grid:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    # The header row names the most different fields (a title merged across the sheet
    # names one field at most, however many cells it covers).
    scores = [len({recognise(_heading(cell)) for cell in row} - {None}) for row in head]
    if not scores or max(scores) < 2:
        raise FileProblem("import_no_header")
    # Headings over two rows repeat in both once merged cells are filled; the first of
    # the two (the row above its sub-headings) is the header row.
    at = next(i for i, score in enumerate(scores) if score >= max(2, max(scores) - 2))
    headings = [_heading(cell) for cell in head[at]]
    start = at + 1
    # Headings over two rows (a merged "Họ tên cha, mẹ" above "Cha" and "Mẹ"): the row
    # below is part of the header when it adds known headings and holds no data.
    if start < len(head) and _sub_header(head[start], headings, recognise):
        below = [_heading(cell) for cell in head[start]]
        width = max(len(headings), len(below))
        headings += [""] * (width - len(headings))
        below += [""] * (width - len(below))
        headings = [_join(top, sub) for top, sub in zip(headings, below, strict=True)]
        start += 1
    if start < len(head) and _numbering(head[start]):
        start += 1
    while headings and not headings[-1]:
        headings.pop()
    rows: list[tuple[int, list[Cell]]] = []
    for number, row in enumerate(head[start:], start=start + 1):
        if any(not _blank(cell) for cell in row):
            rows.append((number, row))
    for number, row in enumerate(grid, start=len(head) + 1):
        if any(not _blank(cell) for cell in row):
            rows.append((number, row))
    return Table(header_row=at + 1, headings=headings, rows=rows)


def _join(top: str, sub: str) -> str:
    if not sub or sub == top:
        return top
    return f"{top} {sub}" if top else sub


def _sub_header(
    row: list[Cell], headings: list[str], recognise: Callable[[str], str | None]
) -> bool:
    cells = [_heading(cell) for cell in row]
    if any(not isinstance(cell, str) for cell in row if not _blank(cell)):
        return False
    repeated = sum(
        1 for i, cell in enumerate(cells) if cell and i < len(headings) and cell == headings[i]
    )
    added = sum(1 for cell in cells if cell and recognise(cell))
    return repeated > 0 and added > 0


def _numbering(row: list[Cell]) -> bool:
    cells = [str(cell).strip() for cell in row if not _blank(cell)]
    return len(cells) >= 2 and all(_NUMBERING.match(cell) for cell in cells)
