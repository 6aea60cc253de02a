"""GET /api/v1/children: search the commune's children (caseworkers and supervisors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from casework.accounts.auth import write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.children import service as child_service
from casework.children.schemas import ChildSummary
from casework.deps import ReadSessionDep
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["children"])


@router.get("/children", response_model=Page[ChildSummary], responses=errors(401, 404, 422))
def list_children(
    request: Request,
    actor: Allowed(Action.child_list),
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    q: Annotated[
        str | None, Query(description="Tên (không cần dấu) hoặc số định danh / name or id")
    ] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
) -> Page[ChildSummary]:
    """Children by name (diacritics and case ignored) or personal id."""
    return listed(request, actor, session, q=q, commune=commune, params=params)


def listed(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    q: str | None,
    params: PageParams,
    commune: str | None = None,
) -> Page[ChildSummary]:
    """The children ``actor`` may see matching ``q``, with the audit entry of what was shown
    (their ids, never the words searched: a search word can be a name). The API, the
    children list and the intake form's suggestions all list children this way."""
    page = child_service.search(
        session, scope=scopes.visible_children(actor), commune_code=commune, q=q, params=params
    )
    write_audit(
        request,
        actor,
        Record(
            AuditAction.view,
            "child_list",
            None,
            detail={"children": [child.id for child in page.items], "searched": bool(q)},
        ),
        after=session,
    )
    return page
