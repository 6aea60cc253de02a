"""Shared table plumbing: the metadata naming convention and the choice-label registry.

Every feature's ``models.py`` imports from here, so the naming convention is in place
before the first table is declared and Alembic names constraints the same way on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Lang = Literal["vi", "en"]

# Keyed by the choice's enum and value: two enums may share a value ("open" is a task's
# "Chưa nhận" and an escalation's "Chưa ai nhận"), and StrEnum members equal their value.
_LABELS: dict[tuple[type, str], tuple[str, str]] = {}


def register_labels(choices: dict[StrEnum, tuple[str, str]]) -> None:
    """Record the Vietnamese and English label of each choice (the UI and errors use them)."""
    _LABELS.update({(type(choice), choice.value): words for choice, words in choices.items()})


def label(choice: StrEnum, lang: Lang = "vi") -> str:
    """The choice's words; a value that is not one of the enum's comes back as it is."""
    vi, en = _LABELS.get((type(choice), str(choice))) or (str(choice), str(choice))
    return vi if lang == "vi" else en


def choice_field(enum: type[StrEnum], **kwargs: object) -> object:
    """A column holding an enum's value as plain text (no PostgreSQL ENUM types to migrate)."""
    length = max(len(member.value) for member in enum)
    return Field(sa_type=sa.String(max(length, 16)), **kwargs)  # type: ignore[arg-type]


D33 = "NĐ56 Đ33"  # protected data about a child
D24 = "NĐ56 Đ24"  # the reporter's identity


def sensitive_info(law: str = D33) -> dict[str, object]:
    """``sa_column_kwargs`` marking a column sensitive (for ``choice_field`` columns)."""
    return {"info": {"sensitive": law}}


def sensitive(law: str = D33, **kwargs: object) -> object:
    """A field holding protected data about a child (NĐ56 Đ33) or a reporter (Đ24).

    The marker travels with the column (``column.info["sensitive"]``): the access policy
    masks these fields for whoever may not see them, and the log test checks that none of
    their values reach an application log.
    """
    extra = dict(kwargs.pop("sa_column_kwargs", None) or {})  # type: ignore[call-overload]
    return Field(sa_column_kwargs={**extra, "info": {"sensitive": law}}, **kwargs)  # type: ignore[arg-type]


def sensitive_columns(metadata: sa.MetaData) -> list[sa.Column[object]]:
    """Every column marked with ``sensitive``."""
    return [
        column
        for table in metadata.sorted_tables
        for column in table.columns
        if column.info.get("sensitive")
    ]
