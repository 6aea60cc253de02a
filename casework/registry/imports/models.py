"""An import of a spreadsheet (XLSX or CSV) into the register, run in the background.

``ImportJob`` is one upload: its file (kept only until the job ends: it holds children's
data), what was read from it, the mapping of its columns, the progress of the worker that
checks or imports it, and the per-row report. ``ImportChecked`` holds what its dry run
found valid, so the import writes those rows without reading and checking the file again.
``ImportMapping`` remembers, per commune, how a set of column headings was mapped, so the
commune's usual list maps itself next time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels, sensitive


class ImportStatus(StrEnum):
    queued_check = "queued_check"  # uploaded or re-mapped: the dry run waits for a worker
    checking = "checking"
    needs_mapping = "needs_mapping"  # a required column is not mapped: the person maps it
    checked = "checked"  # the dry run's report is ready: the person chooses how to import
    queued_import = "queued_import"
    importing = "importing"
    done = "done"
    not_imported = "not_imported"  # "all or nothing" and some rows were bad: nothing written
    failed = "failed"  # the file could not be read
    discarded = "discarded"  # the person gave up, or it waited too long


class ImportMode(StrEnum):
    all_or_nothing = "all_or_nothing"
    valid_only = "valid_only"


register_labels(
    {
        ImportStatus.queued_check: ("Đang chờ kiểm tra", "Waiting to be checked"),
        ImportStatus.checking: ("Đang kiểm tra", "Checking"),
        ImportStatus.needs_mapping: ("Cần ghép cột", "Columns to map"),
        ImportStatus.checked: ("Đã kiểm tra, chờ chọn cách nhập", "Checked"),
        ImportStatus.queued_import: ("Đang chờ nhập", "Waiting to be imported"),
        ImportStatus.importing: ("Đang nhập", "Importing"),
        ImportStatus.done: ("Đã nhập", "Imported"),
        ImportStatus.not_imported: ("Không nhập dòng nào", "Nothing imported"),
        ImportStatus.failed: ("Không đọc được tệp", "File not readable"),
        ImportStatus.discarded: ("Đã hủy", "Discarded"),
        ImportMode.all_or_nothing: (
            "Nhập tất cả hoặc không nhập gì",
            "Import everything or nothing",
        ),
        ImportMode.valid_only: ("Chỉ nhập các dòng hợp lệ", "Import the valid rows only"),
    }
)

WAITING = frozenset({ImportStatus.queued_check, ImportStatus.queued_import})
RUNNING = frozenset({ImportStatus.checking, ImportStatus.importing})
ENDED = frozenset(
    {ImportStatus.done, ImportStatus.not_imported, ImportStatus.failed, ImportStatus.discarded}
)


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_job"
    __table_args__ = (
        sa.Index("ix_import_job_commune_file", "commune_id", "file_sha256"),
        sa.Index("ix_import_job_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id")
    target: str = Field(max_length=32, description="What the rows become: children")
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    status: ImportStatus = choice_field(ImportStatus, default=ImportStatus.queued_check)
    mode: ImportMode | None = choice_field(ImportMode, default=None, nullable=True)
    file_name: str = sensitive(max_length=200)
    file_kind: str = Field(max_length=8, description="xlsx, xls or csv")
    file_size: int
    file_sha256: str = Field(max_length=64)
    file_data: bytes | None = sensitive(
        default=None,
        sa_type=sa.LargeBinary,
        description="The uploaded file, deleted when the job ends (children's data)",
    )
    header_row: int | None = None
    headings: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    mapping: list[str | None] = Field(
        default_factory=list, sa_type=sa.JSON, description="The field of each column, or null"
    )
    total_rows: int = 0
    processed_rows: int = 0
    valid_rows: int = 0
    error_rows: int = 0
    existing_rows: int = 0
    created_records: int = Field(
        default=0, description="Children, accounts, villages, schools made"
    )
    linked_records: int = Field(default=0, description="Rows that found theirs already there")
    added_groups: int = 0
    problem: str | None = Field(default=None, max_length=64, description="Why it failed")
    problem_params: dict[str, object] = Field(default_factory=dict, sa_type=sa.JSON)
    report: list[list[object]] = sensitive(
        default_factory=list,
        sa_type=sa.JSON,
        description="[row, column heading, message code, params] per problem or note",
    )
    claimed_by: str | None = Field(default=None, max_length=120)
    lease_until: datetime | None = None
    version: int = Field(default=1)


class ImportChecked(SQLModel, table=True):
    """The dry run's valid rows and problems, before matching, for the import to write.

    A table of its own so the job's page, which polls the job, never loads it; deleted
    with the file when the job ends (children's data).
    """

    __tablename__ = "import_checked"

    job_id: int = Field(foreign_key="import_job.id", primary_key=True)
    rows: dict[str, object] = sensitive(
        default_factory=dict, sa_type=sa.JSON, description="The target's own form (``dump``)"
    )


class ImportMapping(SQLModel, table=True):
    """How a commune's file with these headings was mapped last (one row per heading set)."""

    __tablename__ = "import_mapping"
    __table_args__ = (
        sa.UniqueConstraint("commune_id", "target", "headings_key", name="uq_import_mapping"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id")
    target: str = Field(max_length=32)
    headings_key: str = Field(max_length=64, description="sha256 of the folded headings")
    mapping: list[str | None] = Field(default_factory=list, sa_type=sa.JSON)
    updated_by_id: int = Field(foreign_key="app_user.id")
    updated_at: datetime
