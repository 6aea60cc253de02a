"""Trang của tôi: what is due for this person, by role.

Caseworkers and supervisors get counters of their cases (each a link that lists them
here), their agency's tasks and the escalation queue; agency officers and heads their
agency's tasks; a collaborator the button to report; a province viewer the communes'
counts only; an auditor the log; an administrator the administration. Counters carry
words and a colour, never a colour alone (UX.md rule 10).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from casework.accounts.auth import write_audit
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.dashboard import service as dashboard_service
from casework.dashboard.service import Show
from casework.deps import ClockDep, ReadSessionDep, SettingsDep
from casework.pagination import PageParams
from casework.registry import snapshots
from casework.schemas_common import PageNumber
from casework.timefmt import local_date
from casework.web.pages import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


@router.get("/trang-cua-toi")
def dashboard(
    request: Request,
    actor: Allowed(Action.dashboard),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    show: Show | None = None,
    page: Annotated[PageNumber, Query()] = 1,
) -> Response:
    """The person's own page: counts that lead to lists, or the one thing their role does."""
    found = dashboard_service.dashboard(
        session,
        actor,
        show=show,
        params=PageParams(page=page, page_size=PAGE_SIZE),
        now=clock.now(),
        tz=settings.tz,
    )
    quality = None
    if policy.gate(actor, Action.data_quality).allowed and actor.commune_id is not None:
        today = local_date(clock.now(), settings.tz)
        quality = snapshots.board(session, commune_id=actor.commune_id, today=today)
    if found.communes is not None:
        record = Record(AuditAction.view, "stats", None)
    else:
        listed = [case.code for case in found.listing.items] if found.listing else []
        detail = {"show": show.value, "cases": listed} if show else {}
        record = Record(AuditAction.view, "dashboard", None, detail=detail)
    write_audit(request, actor, record, after=session)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "board": found,
            "role": actor.role.value if actor.role else "",
            "show": show,
            "quality": quality,
        },
        actor=actor,
    )
