"""GET /api/v1/stats: case counts, the only thing a province viewer sees."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from casework.accounts.auth import write_audit
from casework.api_docs import errors
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.communes import service as commune_service
from casework.deps import ReadSessionDep

router = APIRouter(prefix="/api/v1", tags=["stats"])


class CommuneStats(BaseModel):
    code: str
    name: str
    province: str
    by_status: dict[str, int]
    total: int


@router.get("/stats", response_model=list[CommuneStats], responses=errors(401, 404))
def stats(
    request: Request, actor: Allowed(Action.stats_read), session: ReadSessionDep
) -> list[CommuneStats]:
    """Cases per status: a province viewer's province, everyone else their own commune."""
    rows = commune_service.counts(session, communes=scopes.counted_communes(actor))
    write_audit(request, actor, Record(AuditAction.view, "stats", None), after=session)
    return [
        CommuneStats(
            code=r.code,
            name=r.name,
            province=r.province,
            by_status=r.by_status,
            total=sum(r.by_status.values()),
        )
        for r in rows
    ]
