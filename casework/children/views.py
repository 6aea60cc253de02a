"""GET /api/v1/children: search the commune's children."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from casework.api_docs import errors
from casework.children import service as child_service
from casework.children.schemas import ChildSummary
from casework.deps import ReadSessionDep
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["children"])


@router.get("/children", response_model=Page[ChildSummary], responses=errors(422))
def list_children(
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    q: Annotated[
        str | None, Query(description="Tên (không cần dấu) hoặc số định danh / name or id")
    ] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
) -> Page[ChildSummary]:
    """Children by name (diacritics and case ignored) or personal id."""
    return child_service.search(session, commune_code=commune, q=q, params=params)
