"""What an administrator sends to create an account, reset a password or change an
agency's contacts (the same rules as ``casework user …`` on the command line)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from casework.accounts.models import Role
from casework.accounts.service import AGENCY_ROLES
from casework.children.schemas import STRICT
from casework.schemas_common import Id, Name, OptionalLine, OptionalPhone

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _username(value: str) -> str:
    value = value.strip().lower()
    if not _USERNAME.fullmatch(value):
        raise PydanticCustomError("username_invalid", "letters, digits, dot, dash, underscore")
    return value


def _email(value: str | None) -> str | None:
    if value is not None and (len(value) > 254 or not _EMAIL.fullmatch(value)):
        raise PydanticCustomError("email_invalid", "not an e-mail address")
    return value


Username = Annotated[str, AfterValidator(_username)]
OptionalEmail = Annotated[OptionalLine, AfterValidator(_email)]


class _Passwords(BaseModel):
    model_config = STRICT

    new_password: str = Field(min_length=1, description="Mật khẩu / password")
    confirm_password: str = Field(min_length=1, description="Nhập lại / the same again")

    @field_validator("confirm_password")
    @classmethod
    def _same(cls, value: str, info: ValidationInfo) -> str:
        if "new_password" in info.data and value != info.data["new_password"]:
            raise PydanticCustomError("password_mismatch", "the two passwords differ")
        return value


class UserCreate(BaseModel):
    """A new account: nobody types its password; its person gets an activation link at
    the e-mail or phone given here and sets their own."""

    model_config = STRICT

    username: Username = Field(description="Tên đăng nhập, e.g. canbo.hoa")
    full_name: Name
    role: Role
    agency_id: Id | None = Field(
        default=None, validate_default=True, description="Agency officers and heads"
    )
    email: OptionalEmail = None
    phone: OptionalPhone = Field(default=None, validate_default=True)

    @field_validator("phone")
    @classmethod
    def _somewhere_to_send_the_link(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and "email" in info.data and info.data["email"] is None:
            raise PydanticCustomError("activation_address_required", "an e-mail or a phone")
        return value

    @field_validator("agency_id")
    @classmethod
    def _agency_for_agency_roles(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None and info.data.get("role") in AGENCY_ROLES:
            raise PydanticCustomError("agency_required", "agency officers and heads need one")
        return value


class PasswordReset(_Passwords):
    pass


class AgencyContact(BaseModel):
    model_config = STRICT

    email: OptionalEmail = None
    phone: OptionalPhone = None


class VillageIn(BaseModel):
    """A village the administrator adds: its name as the commune writes it."""

    model_config = STRICT

    village: Name


class VillageMergeIn(BaseModel):
    """The village another one is merged into."""

    model_config = STRICT

    into: Id = Field(description="Thôn sáp nhập vào / the village it joins")


class SchoolIn(BaseModel):
    """A school the administrator adds: its name, e.g. Trường Tiểu học Thất Khê."""

    model_config = STRICT

    school: Name
