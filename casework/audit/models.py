"""The audit log: append-only, each entry chained to the previous one by its hash."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import register_labels


class AuditAction(StrEnum):
    view = "view"
    create = "create"
    update = "update"
    event = "event"
    export = "export"
    login = "login"
    logout = "logout"
    failed_login = "failed_login"
    token_use = "token_use"
    permission_denied = "permission_denied"
    account = "account"  # a password, a session epoch, a token or a user changed


register_labels(
    {
        AuditAction.view: ("Xem", "View"),
        AuditAction.create: ("Tạo", "Create"),
        AuditAction.update: ("Sửa", "Update"),
        AuditAction.event: ("Bước xử lý", "Workflow event"),
        AuditAction.export: ("Xuất dữ liệu", "Export"),
        AuditAction.login: ("Đăng nhập", "Login"),
        AuditAction.logout: ("Đăng xuất", "Logout"),
        AuditAction.failed_login: ("Đăng nhập không thành công", "Failed login"),
        AuditAction.token_use: ("Dùng token", "Token use"),
        AuditAction.permission_denied: ("Bị từ chối quyền", "Permission denied"),
        AuditAction.account: ("Tài khoản", "Account"),
    }
)

GENESIS = "0" * 64


class AuditEntry(SQLModel, table=True):
    """Who did what to which record, when and from where. Rows are never updated.

    ``hash`` is SHA-256 over ``prev_hash`` and this entry's fields, so editing or
    deleting an entry breaks the chain from there on (``casework audit verify``).
    Nothing personal about a child is written here: subjects are case codes and ids.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_subject", "subject_type", "subject_id"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, description="No foreign key: the log outlives")
    username: str | None = Field(default=None, max_length=64)
    role: str | None = Field(default=None, max_length=32)
    commune_id: int | None = Field(default=None, index=True)
    token_id: int | None = None
    action: str = Field(max_length=32, index=True)
    subject_type: str | None = Field(default=None, max_length=32)
    subject_id: str | None = Field(default=None, max_length=64)
    outcome: str = Field(default="ok", max_length=16)
    ip: str | None = Field(default=None, max_length=64)
    user_agent: str | None = Field(default=None, max_length=300)
    detail: dict[str, object] = Field(default_factory=dict, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHead(SQLModel, table=True):
    """The end of the chain: one row, locked by each append so the chain stays linear."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_seq: int = 0
    last_hash: str = Field(default=GENESIS, max_length=64)
