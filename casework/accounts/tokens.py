"""API tokens for integrations: shown once, stored as a SHA-256 hash, scoped, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, select

from casework.accounts.models import ApiToken, User
from casework.errors import FieldError, InvalidInput, NotFound
from casework.timefmt import as_utc

PREFIX = "cwk_"
# What a token may be used for; each API route names the scope it needs (casework.authz).
SCOPES = {
    "intake:write": "Gửi báo cáo tiếp nhận / post intakes",
    "cases:read": "Xem hồ sơ và danh sách trẻ / read cases and children",
    "cases:write": "Thực hiện bước xử lý hồ sơ / fire case events",
    "children:write": "Đăng ký trẻ, sửa thông tin trẻ / register and correct children",
    "registry:write": "Ghi nhóm hoàn cảnh đặc biệt, hỗ trợ, quyết định đề xuất / write the "
    "register",
    "tasks:write": "Nhận, từ chối, hoàn thành nhiệm vụ / answer tasks",
    "escalations:read": "Xem việc cần lãnh đạo xử lý / read the escalation queue",
    "escalations:write": "Xử lý việc cần lãnh đạo xử lý / work the escalation queue",
    "audit:read": "Đọc và xuất nhật ký kiểm tra / read and export the audit log",
    "stats:read": "Xem số liệu tổng hợp / read aggregate counts",
}


class TokenNotFound(NotFound):
    code = "token_not_found"


def digest(raw: str) -> str:
    """A token has 256 random bits, so a plain SHA-256 is enough to store it safely."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create(
    session: Session,
    *,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime,
    now: datetime,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned once and never stored."""
    unknown = sorted(set(scopes) - SCOPES.keys())
    if unknown or not scopes:
        params = {"scope": ", ".join(unknown), "known": ", ".join(SCOPES)}
        raise InvalidInput([FieldError(("scope",), "token_scope_unknown", params)])
    if expires_at <= now:
        raise InvalidInput([FieldError(("expires",), "time_not_in_future")])
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=raw[:12],
        token_hash=digest(raw),
        scopes=" ".join(sorted(set(scopes))),
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    return token, raw


def revoke(session: Session, *, token_id: int, now: datetime) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise TokenNotFound(token_id=token_id)
    token.revoked_at = token.revoked_at or now
    session.add(token)
    session.flush()
    return token


def find_usable(session: Session, *, raw: str, now: datetime) -> tuple[ApiToken, User] | None:
    """The token and its (active) user, unless it is unknown, revoked or expired."""
    if not raw.startswith(PREFIX):
        return None
    row = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(raw))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or as_utc(token.expires_at) <= now or not user.is_active:
        return None
    return token, user


def listed(session: Session, *, user: User | None = None) -> list[tuple[ApiToken, User]]:
    statement = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
    if user is not None:
        statement = statement.where(ApiToken.user_id == user.id)
    return list(session.exec(statement.order_by(ApiToken.id)).all())
