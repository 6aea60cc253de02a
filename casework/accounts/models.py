"""People who use Casework, their API tokens, failed logins and logged-out sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels


class Role(StrEnum):
    caseworker = "caseworker"
    agency_officer = "agency_officer"
    agency_head = "agency_head"
    supervisor = "supervisor"
    collaborator = "collaborator"
    province_viewer = "province_viewer"
    province_admin = "province_admin"
    auditor = "auditor"
    admin = "admin"


register_labels(
    {
        Role.caseworker: ("Người làm công tác bảo vệ trẻ em", "Child-protection caseworker"),
        Role.agency_officer: ("Cán bộ đầu mối", "Agency focal point"),
        Role.agency_head: ("Lãnh đạo cơ quan", "Agency head"),
        Role.supervisor: ("Lãnh đạo UBND xã", "Commune supervisor"),
        Role.collaborator: ("Cộng tác viên", "Village collaborator"),
        Role.province_viewer: ("Cán bộ tỉnh (xem số liệu)", "Province viewer"),
        Role.province_admin: ("Quản trị cấp tỉnh", "Province administrator"),
        Role.auditor: ("Kiểm tra nhật ký", "Auditor"),
        Role.admin: ("Quản trị hệ thống", "Administrator"),
    }
)


# The roles of a commune's people (a province administrator belongs to a province).
COMMUNE_ROLES = tuple(role for role in Role if role != Role.province_admin)


class NotifyVia(StrEnum):
    """How a person wants to hear about their work."""

    email = "email"
    sms = "sms"
    both = "both"


register_labels(
    {
        NotifyVia.email: ("Thư điện tử", "E-mail"),
        NotifyVia.sms: ("Tin nhắn SMS", "SMS"),
        NotifyVia.both: ("Thư điện tử và SMS", "E-mail and SMS"),
    }
)


class User(SQLModel, table=True):
    """A person with one role in one commune, optionally a member of one agency; or a
    province administrator, who belongs to a province (``province_code``) and no commune:
    they set the province's communes up, working in one commune at a time."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    province_code: str | None = Field(
        default=None, max_length=2, description="Mã tỉnh, for province administrators only"
    )
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    username: str = Field(max_length=64, unique=True)
    full_name: str = Field(max_length=120)
    role: Role = choice_field(Role)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20, description="E.164")
    is_active: bool = True
    created_at: datetime
    notify_via: NotifyVia = choice_field(
        NotifyVia, default=NotifyVia.both, sa_column_kwargs={"server_default": NotifyVia.both}
    )
    language: str = Field(default="vi", max_length=8, sa_column_kwargs={"server_default": "vi"})
    password_hash: str | None = Field(default=None, max_length=255, description="argon2id")
    password_changed_at: datetime | None = None
    session_epoch: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="Sessions signed with an older epoch are over (log out everywhere)",
    )


class ApiToken(SQLModel, table=True):
    """A token an integration sends as ``Authorization: Bearer``; only its hash is kept."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(max_length=120, description="What it is for, e.g. Tổng đài 111")
    prefix: str = Field(max_length=16, description="The first characters, to recognise it")
    token_hash: str = Field(max_length=64, unique=True, description="SHA-256 of the token")
    scopes: str = Field(max_length=300, description="Space-separated, e.g. intake:write")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Recent failed logins for one account or one address; a lockout when too many."""

    __tablename__ = "login_throttle"

    key: str = Field(primary_key=True, max_length=200, description="user:<name> or ip:<addr>")
    failures: int = 0
    window_started_at: datetime
    locked_until: datetime | None = None


class EndedSession(SQLModel, table=True):
    """A browser session logged out before its cookie expired: a copy of that cookie no
    longer logs anyone in. Kept only as long as the cookie could still be accepted (the
    idle timeout), then deleted by housekeeping. "Log out everywhere" needs no rows: it
    moves the account's session epoch."""

    __tablename__ = "ended_session"

    id: str = Field(primary_key=True, max_length=64, description="SHA-256 of the cookie's sid")
    user_id: int = Field(foreign_key="app_user.id", index=True)
    ended_at: datetime
    expires_at: datetime = Field(index=True, description="After this the cookie is dead anyway")


class AccountActivation(SQLModel, table=True):
    """A one-time link that lets a new person set their own password (nobody types an
    initial password for them). Only the token's SHA-256 is kept; the link goes out by
    e-mail or SMS, sealed in the outbox with the data keys until it is sent."""

    __tablename__ = "account_activation"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, description="SHA-256 of the token")
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = Field(default=None, description="A newer link replaced it")
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
