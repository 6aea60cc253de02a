"""OpenAPI descriptions of the error shape every endpoint shares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Vị trí trường lỗi / where the error is")
    field: str | None = Field(description="Tên trường, ví dụ child.date_of_birth / field path")
    type: str = Field(description="Mã lỗi ổn định / stable error code")
    msg: str = Field(description="Thông báo theo Accept-Language (mặc định tiếng Việt)")
    msg_vi: str = Field(description="Thông báo tiếng Việt")
    msg_en: str = Field(description="English message")


class ErrorBody(BaseModel):
    detail: list[ErrorItem]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        401: "Cần đăng nhập hoặc token API / log in or send an API token",
        403: "Không có quyền (đã thấy hồ sơ) hoặc thiếu mã CSRF / not permitted, or no CSRF token",
        404: "Không tìm thấy, hoặc không có quyền xem / not found, or not yours to see",
        409: "Xung đột: người khác vừa thay đổi / conflict",
        422: "Dữ liệu gửi lên có lỗi, mỗi lỗi một trường / invalid input, one entry per field",
    }
    return {code: {"model": ErrorBody, "description": descriptions[code]} for code in codes}
