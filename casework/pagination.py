"""Page numbers and the envelope every list endpoint answers with."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import Session

from casework.schemas_common import PageNumber


class PageParams(BaseModel):
    page: PageNumber = Field(default=1, description="Trang, bắt đầu từ 1 / page, from 1")
    page_size: int = Field(default=20, ge=1, le=100, description="Số dòng mỗi trang / page size")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
    pages: int


def count(session: Session, statement: sa.Select[Any]) -> int:
    """The number of rows ``statement`` would return, without fetching them."""
    subquery = statement.order_by(None).subquery()
    return session.execute(sa.select(sa.func.count()).select_from(subquery)).scalar_one()


def pages(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size))


def page_of(items: list[T], *, total: int, params: PageParams) -> Page[T]:
    """One page of a list, with how many there are in all."""
    return Page[T](
        items=items,
        total=total,
        page=params.page,
        page_size=params.page_size,
        pages=pages(total, params.page_size),
    )
