"""The register and the data-quality list as Excel workbooks, for the national system.

Column order. The national "Hệ thống quản lý thông tin trẻ em tại cơ sở" publishes no
import interface, and its data-collection guidance (Quyết định 3978/QĐ-BYT, 26/12/2025)
could not be read in full, so the columns follow the order in which the child's basic
fields are collected (Đề án 06's basic data: full name, date of birth, sex, ethnicity,
personal id, residence, parent or caregiver), then the register's own facts:

    STT, Họ và tên, Ngày sinh, Giới tính, Dân tộc, Số định danh cá nhân,
    Nơi thường trú (thôn, xã, tỉnh), Họ tên cha/mẹ/người chăm sóc,
    Nhóm hoàn cảnh đặc biệt (Đ10), Nhóm nhỏ, Từ ngày, Có nguy cơ, Hình thức trợ giúp

— the same order as the commune's hand-kept lists, so a sheet can be pasted into the
national system's collection form field by field. A child in two groups (or in one and
at risk of another) has one row per current membership, so each keeps its own start
date; the data-quality list has the basic fields, then "Cần sửa" (what to fix).

Confidentiality (NĐ56 Đ24 k3, Đ33): the top of every sheet, and the header of every
printed page, state the level ("MẬT") and the distribution scope, who exported and when
(Asia/Ho_Chi_Minh). Dates are Excel dates; personal ids are text (leading zeros kept).
The workbook is written with xlsxwriter in ``constant_memory`` mode to a temporary file,
a row at a time, with the database read in batches: 500,000 rows never sit in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import xlsxwriter
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.authz import scopes
from casework.base import label
from casework.children.models import Caregiver, Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.communes.models import Commune, Village
from casework.registry import quality
from casework.registry.models import ChildSupport, SupportKind
from casework.timefmt import local_date, to_local

BASIC_COLUMNS = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Ngày sinh", 12),
    ("Giới tính", 9),
    ("Dân tộc", 10),
    ("Số định danh cá nhân", 16),
    ("Nơi thường trú (thôn, xã, tỉnh)", 40),
    ("Họ tên cha/mẹ/người chăm sóc", 36),
)
REGISTER_COLUMNS = (
    *BASIC_COLUMNS,
    ("Nhóm hoàn cảnh đặc biệt (Đ10)", 40),
    ("Nhóm nhỏ", 20),
    ("Từ ngày", 12),
    ("Có nguy cơ", 10),
    ("Hình thức trợ giúp", 36),
)
QUALITY_COLUMNS = (*BASIC_COLUMNS, ("Cần sửa", 70))
PERSONAL_ID_COLUMN = 5
SECRET = "MẬT — Thông tin bí mật về trẻ em (NĐ 56/2017/NĐ-CP Điều 24 khoản 3, Điều 33)"
SCOPE = (
    "Chỉ lưu hành nội bộ: Ủy ban nhân dân {commune} và người làm công tác bảo vệ trẻ em "
    "của xã; không sao chép, cung cấp cho người khác khi chưa được phép."
)
BATCH = 1000


@dataclass(frozen=True)
class Stamp:
    """Who exported, when (local time), for which commune, and which list."""

    title: str
    commune: str
    province: str
    exported_by: str
    exported_at: datetime  # already in Asia/Ho_Chi_Minh
    filters: str = ""


class Sheet:
    """One worksheet written top to bottom: the confidentiality block, the column
    headings, then one row per call of ``row``."""

    def __init__(self, path: str, stamp: Stamp, columns: Sequence[tuple[str, int]]) -> None:
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True})
        self.sheet = self.book.add_worksheet("Danh sách")
        self.date = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.text = self.book.add_format({"num_format": "@"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        bold = self.book.add_format({"bold": True})
        secret = self.book.add_format({"bold": True, "font_color": "#d4351c"})
        heading = self.book.add_format({"bold": True, "text_wrap": True, "border": 1})
        for index, (_, width) in enumerate(columns):
            self.sheet.set_column(index, index, width)
        scope = SCOPE.format(commune=stamp.commune)
        self.sheet.set_header(f'&L&"Arial,Bold"MẬT&C{_header_text(stamp.title)}')
        self.sheet.set_footer("&LChỉ lưu hành nội bộ&RTrang &P/&N")
        self.book.set_properties(
            {"title": stamp.title, "author": stamp.exported_by, "comments": f"{SECRET}. {scope}"}
        )
        lines = [
            (SECRET, secret),
            (scope, None),
            (f"{stamp.title} — {stamp.commune}, {stamp.province}", bold),
            (
                f"Người xuất: {stamp.exported_by}; lúc "
                f"{stamp.exported_at:%H:%M ngày %d/%m/%Y} (giờ Việt Nam)",
                None,
            ),
        ]
        if stamp.filters:
            lines.append((f"Lọc theo: {stamp.filters}", None))
        for number, (words, style) in enumerate(lines):
            self.sheet.write_string(number, 0, words, style)
        self.next = len(lines) + 1
        for index, (title, _) in enumerate(columns):
            self.sheet.write_string(self.next, index, title, heading)
        self.sheet.freeze_panes(self.next + 1, 0)
        self.next += 1
        self.rows = 0

    @property
    def header_rows(self) -> int:
        """How many rows come before the first data row."""
        return self.next - self.rows

    def row(self, values: Sequence[object]) -> None:
        for column, value in enumerate(values):
            self._cell(self.next, column, value)
        self.next += 1
        self.rows += 1

    def _cell(self, row: int, column: int, value: object) -> None:
        if value is None or value == "":
            return
        if column == PERSONAL_ID_COLUMN:
            self.sheet.write_string(row, column, str(value), self.text)
        elif isinstance(value, date):
            self.sheet.write_datetime(row, column, value, self.date)
        elif isinstance(value, int | float):
            self.sheet.write_number(row, column, value)
        else:
            words = str(value)
            self.sheet.write_string(row, column, words, self.wrap if "\n" in words else None)

    def close(self) -> None:
        self.book.close()


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Written:
    path: str
    rows: int


def _child_columns() -> tuple[Any, ...]:
    return (
        Child.id,
        Child.full_name,
        Child.date_of_birth,
        Child.birth_year,
        Child.sex,
        Child.ethnicity,
        Child.personal_id,
        Village.name,
    )


def _basic(values: Any, number: int, residence: str, carers: str) -> list[object]:
    _, name, born, year, sex, ethnicity, pid, village = values
    sex_words = label(Sex(sex)) if sex in Sex.__members__ else ""
    shown_born: object = born if born is not None else f"{year} (năm sinh ước tính)"
    place = ", ".join(part for part in (village, residence) if part)
    return [number, name, shown_born, sex_words, ethnicity, pid, place, carers]


def _caregivers(session: Session, ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        sa.select(Caregiver.child_id, Caregiver.full_name, Caregiver.relation)
        .where(Caregiver.child_id.in_(ids))
        .order_by(Caregiver.child_id, Caregiver.id)
    )
    for child_id, name, relation in rows:
        found[child_id].append(f"{name} ({relation})" if relation else name)
    return {child_id: "; ".join(names) for child_id, names in found.items()}


def _memberships(session: Session, ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = session.execute(
        sa.select(
            ChildCircumstance.child_id,
            ChildCircumstance.group,
            ChildCircumstance.subgroup,
            ChildCircumstance.since,
            ChildCircumstance.at_risk,
        )
        .where(ChildCircumstance.child_id.in_(ids), ChildCircumstance.until.is_(None))
        .order_by(ChildCircumstance.child_id, ChildCircumstance.at_risk, ChildCircumstance.group)
    )
    for child_id, group, subgroup, since, at_risk in rows:
        found[child_id].append((label(CircumstanceGroup(group)), subgroup, since, at_risk))
    return found


def _supports(session: Session, ids: list[int], today: date) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        sa.select(ChildSupport.child_id, ChildSupport.kind)
        .where(
            ChildSupport.child_id.in_(ids),
            ChildSupport.since <= today,
            sa.or_(ChildSupport.until.is_(None), ChildSupport.until >= today),
        )
        .distinct()
        .order_by(ChildSupport.child_id, ChildSupport.kind)
    )
    for child_id, kind in rows:
        found[child_id].append(label(SupportKind(kind)))
    return {child_id: "; ".join(kinds) for child_id, kinds in found.items()}


def _batches(session: Session, statement: sa.Select[Any]) -> Iterator[Sequence[Any]]:
    result = session.execute(statement.execution_options(yield_per=BATCH))
    yield from result.partitions()


def _commune(session: Session, commune_id: int) -> Commune:
    return session.execute(sa.select(Commune).where(Commune.id == commune_id)).scalar_one()


def register_rows(
    session: Session, *, scope: ColumnElement[bool], commune_id: int, today: date
) -> Iterator[list[object]]:
    """The register, a row per child and current membership (a child in no group: one
    row with the group columns empty), by village, then in the Vietnamese list order."""
    commune = _commune(session, commune_id)
    residence = f"{commune.name}, {commune.province}"
    statement = (
        sa.select(*_child_columns())
        .select_from(Child)
        .outerjoin(Village, Village.id == Child.village_id)
        .where(quality.registered(scope))
        .order_by(sa.nulls_last(Village.name.asc()), Child.sort_key, Child.id)
    )
    number = 0
    for batch in _batches(session, statement):
        ids = [values[0] for values in batch]
        carers, groups = _caregivers(session, ids), _memberships(session, ids)
        supports = _supports(session, ids, today)
        for values in batch:
            child_id = values[0]
            for group, subgroup, since, at_risk in groups.get(child_id) or [(None,) * 4]:
                number += 1
                basic = _basic(values, number, residence, carers.get(child_id, ""))
                risk = ("Có" if at_risk else "Không") if group else None
                yield [*basic, group, subgroup, since, risk, supports.get(child_id, "")]


def quality_rows(
    session: Session, *, scope: ColumnElement[bool], commune_id: int, filters: quality.Filters
) -> Iterator[list[object]]:
    """The records to fix (``filters`` as on the page), each with what to fix."""
    commune = _commune(session, commune_id)
    residence = f"{commune.name}, {commune.province}"
    rows = quality.all_rows(session, scope=scope, filters=filters)
    number = 0
    for batch in _chunks(rows, BATCH):
        carers = _caregivers(session, [row.child_id for row in batch])
        for row in batch:
            number += 1
            values = (
                row.child_id,
                row.full_name,
                row.date_of_birth,
                row.birth_year,
                row.sex,
                row.ethnicity,
                row.personal_id,
                row.village,
            )
            basic = _basic(values, number, residence, carers.get(row.child_id, ""))
            yield [*basic, "\n".join(finding.message for finding in row.findings)]


def _chunks(rows: Iterable[quality.Row], size: int) -> Iterator[list[quality.Row]]:
    batch: list[quality.Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write(
    rows: Iterable[Sequence[object]], *, stamp: Stamp, columns: Sequence[tuple[str, int]]
) -> Written:
    """Write ``rows`` to a new temporary .xlsx file (the caller deletes it)."""
    descriptor, path = tempfile.mkstemp(prefix="casework-", suffix=".xlsx")
    os.close(descriptor)
    sheet = Sheet(path, stamp, columns)
    try:
        for values in rows:
            sheet.row(values)
    finally:
        sheet.close()
    return Written(path, sheet.rows)


def _stamp(
    session: Session, actor: Actor, *, title: str, now: datetime, tz: ZoneInfo, filters: str = ""
) -> Stamp:
    user = session.execute(sa.select(User).where(User.id == actor.user_id)).scalar_one()
    commune = _commune(session, user.commune_id)
    return Stamp(
        title=title,
        commune=commune.name,
        province=commune.province,
        exported_by=f"{user.full_name} ({label(Role(user.role))})",
        exported_at=to_local(now, tz),
        filters=filters,
    )


def export_register(session: Session, actor: Actor, *, now: datetime, tz: ZoneInfo) -> Written:
    """The commune's register as a workbook: every child with current groups, sub-groups,
    at-risk marks and support (the caller audits, sends and deletes the file)."""
    stamp = _stamp(session, actor, title="Danh sách trẻ em của xã", now=now, tz=tz)
    rows = register_rows(
        session,
        scope=scopes.visible_children(actor),
        commune_id=actor.commune_id or 0,
        today=local_date(now, tz),
    )
    return write(rows, stamp=stamp, columns=REGISTER_COLUMNS)


def export_quality(
    session: Session, actor: Actor, *, filters: quality.Filters, now: datetime, tz: ZoneInfo
) -> Written:
    """The records to clean (Đề án 06) as a workbook, filtered as on the page."""
    said = []
    if filters.village_id is not None:
        name = session.execute(
            sa.select(Village.name).where(Village.id == filters.village_id)
        ).scalar_one_or_none()
        said.append(name or str(filters.village_id))
    if filters.problem is not None:
        said.append(label(filters.problem).lower())
    stamp = _stamp(
        session,
        actor,
        title="Danh sách trẻ em cần rà soát, làm sạch dữ liệu",
        now=now,
        tz=tz,
        filters="; ".join(said),
    )
    rows = quality_rows(
        session,
        scope=scopes.visible_children(actor),
        commune_id=actor.commune_id or 0,
        filters=filters,
    )
    return write(rows, stamp=stamp, columns=QUALITY_COLUMNS)
