"""The children: a searchable list and each child's profile.

The children register is for the commune's caseworkers and supervisor (the policy's
``child_list``): a child's record is protected data (NĐ56 Đ33), so every list shown and
every profile opened is written to the audit log, with the children's ids and never the
words searched (a search word can be a name).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casework.accounts.auth import write_audit
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.children import service as child_service
from casework.children.views import listed
from casework.deps import ClockDep, ReadSessionDep, SettingsDep
from casework.pagination import PageParams
from casework.registry import merge as merge_service
from casework.registry import service as registry_service
from casework.timefmt import local_date
from casework.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/tre-em", response_class=HTMLResponse)
def children(
    request: Request,
    actor: Allowed(Action.child_list),
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    q: Annotated[str | None, Query(max_length=120)] = None,
) -> Response:
    """The commune's children, by name typed with or without diacritics, or personal id."""
    found = listed(request, actor, session, q=q, params=params)
    may_register = policy.gate(actor, Action.child_register).allowed
    return render(
        request,
        "children/list.html",
        {"found": found, "q": (q or "").strip(), "may_register": may_register},
        actor=actor,
    )


@router.get("/tre-em/{child_id}", response_class=HTMLResponse)
def child_profile(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_list)],
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """The child as the national database keeps it, the special-circumstance groups of
    Luật Trẻ em Đ10, the caregivers, and the child's cases with their running clocks."""
    kept = merge_service.resolve(session, child_id=access.id)
    if kept != access.id:  # a record merged into another: old links open the record kept
        return RedirectResponse(f"/tre-em/{kept}", status_code=307)
    found = child_service.profile(session, child_id=access.id)
    today = local_date(clock.now(), settings.tz)
    register = registry_service.child_register(session, child_id=access.id, today=today)
    write_audit(
        request,
        access.actor,
        Record(
            AuditAction.view,
            "child",
            str(access.id),
            detail={"cases": [case.code for case in found.cases]},
        ),
        after=session,
    )
    return render(
        request,
        "children/profile.html",
        {
            "profile": found,
            "child": found.child,
            "may_edit": policy.gate(access.actor, Action.child_edit).allowed,
            "register": register,
        },
        actor=access.actor,
    )
