"""The case API: read, list, and fire workflow events (each read and write audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy, scopes
from casework.authz.deps import Allowed, CaseAccess, case_for
from casework.authz.policy import Action, CaseView
from casework.cases import flow
from casework.cases import service as case_service
from casework.cases.events import PAYLOADS, payload_model
from casework.cases.models import CaseStatus, ProtectionCase, RiskLevel
from casework.cases.schemas import AgencyCaseRead, CaseRead, CaseSummary
from casework.db import run_in_transaction
from casework.deadlines import service as deadline_service
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["cases"])

EVENT_DOC = "\n".join(
    f"- `{name}`: {', '.join(model.model_fields)}" for name, model in PAYLOADS.items()
)


@router.get("/cases/{code}", response_model=CaseRead | AgencyCaseRead, responses=errors(401, 404))
def get_case(
    request: Request,
    access: Annotated[CaseAccess, case_for(Action.case_read)],
    session: ReadSessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> CaseRead | AgencyCaseRead:
    """One case with its child, reports, tasks, history, deadlines and the possible events.
    An agency with a task on the case sees only the child's name, age and village and its
    own tasks (``view: "task"``)."""
    case = session.get_one(ProtectionCase, access.id)
    now = clock.now()
    if access.view == CaseView.full:
        result: CaseRead | AgencyCaseRead = flow.read(
            session, case=case, actor=access.actor, now=now, tz=settings.tz
        )
    else:
        brief = case_service.read_for_agency(
            session, case=case, agency_id=access.actor.agency_id, now=now, tz=settings.tz
        )
        own = {task.id for task in brief.tasks}
        clocks = deadline_service.read_for_case(
            session, case_id=case.id, engine=flow.engine_of(case), tz=settings.tz
        )
        result = brief.model_copy(update={"deadlines": [d for d in clocks if d.task_id in own]})
    write_audit(
        request,
        access.actor,
        Record(AuditAction.view, "case", case.code, detail={"view": access.view.value}),
        after=session,
    )
    return result


@router.post(
    "/cases/{code}/events/{event}",
    response_model=CaseRead,
    responses=errors(401, 403, 404, 409, 422),
    description="Fire a workflow event. Payload fields per event:\n\n" + EVENT_DOC,
)
def post_event(
    request: Request,
    event: str,
    access: Annotated[CaseAccess, case_for(Action.case_event)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body()] = None,  # type: ignore[assignment]
) -> CaseRead:
    """Move the case on (e.g. start_assessment, submit_plan); 409 if not possible now."""
    try:
        payload = payload_model(event).model_validate(body or {})
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    actor = access.actor

    def work(session: Session) -> CaseRead:
        case = flow.lock(session, code=access.code)
        now = clock.now()
        flow.fire_event(
            session, actor, case=case, event=event, payload=payload, now=now, tz=settings.tz
        )
        audit_service.append(
            session,
            actor,
            Record(AuditAction.event, "case", case.code, detail={"event": event}),
            origin=origin_of(request),
            now=now,
        )
        return flow.read(session, case=case, actor=actor, now=now, tz=settings.tz)

    return run_in_transaction(factory, work)


@router.get("/cases", response_model=Page[CaseSummary], responses=errors(401, 422))
def list_cases(
    request: Request,
    actor: Allowed(Action.case_list),
    session: ReadSessionDep,
    settings: SettingsDep,
    params: Annotated[PageParams, Depends()],
    status: Annotated[CaseStatus | None, Query(description="Bước / status")] = None,
    risk: Annotated[RiskLevel | None, Query(description="Mức độ nguy cơ / risk")] = None,
    village: Annotated[str | None, Query(description="Tên thôn / village name")] = None,
    q: Annotated[str | None, Query(description="Mã hồ sơ hoặc tên trẻ / code or name")] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
) -> Page[CaseSummary]:
    """The cases the caller may see, newest first, filtered; name search ignores diacritics
    and case. An agency sees only cases where it has a task, without risk or child id."""
    page = case_service.search(
        session,
        scope=scopes.visible_cases(actor),
        masked=policy.list_view(actor) != CaseView.full,
        commune_code=commune,
        status=status,
        risk=risk,
        village=village,
        q=q,
        params=params,
        tz=settings.tz,
    )
    # The search words may be a child's name: the log keeps which cases were shown.
    write_audit(
        request,
        actor,
        Record(
            AuditAction.view,
            "case_list",
            None,
            detail={"cases": [item.code for item in page.items], "searched": bool(q)},
        ),
        after=session,
    )
    return page
