"""POST /api/v1/intakes: the contract the 111 hotline and other systems post reports to."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from sqlmodel import Session

from casework.accounts.auth import origin_of
from casework.api_docs import errors
from casework.authz import policy
from casework.authz.deps import Allowed
from casework.authz.policy import Action, CaseView
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep, get_clock, get_settings
from casework.errors import InvalidInput, from_pydantic
from casework.intake import service as intake_service
from casework.intake import validation as rules
from casework.intake.schemas import IntakeCreate, IntakeReceipt, IntakeResult


class IntakeRoute(APIRoute):
    """A refused body is answered with its field errors and the rules between the fields
    that could be read (a receipt before the child's birth) at once, not in two rounds."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_rules(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                settings = get_settings(request)
                today = rules.Today(
                    now=get_clock(request).now(),
                    tz=settings.tz,
                    late_report_days=settings.late_report_days,
                )
                found = [from_pydantic(error) for error in exc.errors()]
                raise InvalidInput(rules.together(found, exc.body, today)) from None

        return with_rules


router = APIRouter(prefix="/api/v1", tags=["intake"], route_class=IntakeRoute)


@router.post(
    "/intakes",
    status_code=201,
    response_model=IntakeResult | IntakeReceipt,
    responses=errors(401, 404, 422),
    summary="Tiếp nhận thông tin trẻ em (Mẫu 01) / record a report",
)
def create_intake(
    request: Request,
    actor: Allowed(Action.intake_create),
    data: IntakeCreate,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            description="Khóa chống gửi trùng: gửi lại cùng khóa và nội dung trả về cùng kết "
            "quả / the same key and body return the same result, never a second case",
        ),
    ] = None,
) -> JSONResponse:
    """Record the report, find or create the child, and open the case or join the open one.
    Reports go to the reporter's own commune only. Someone who may not read cases in full
    (a collaborator, an agency) gets only a receipt (``IntakeReceipt``)."""

    def work(session: Session) -> intake_service.Submission:
        return intake_service.submit_as(
            session,
            actor,
            data=data,
            idempotency_key=idempotency_key,
            origin=origin_of(request),
            now=clock.now(),
            tz=settings.tz,
            late_report_days=settings.late_report_days,
            adhoc_report_hours=settings.adhoc_report_hours,
        )

    submission = run_in_transaction(factory, work)
    headers = {"Idempotent-Replayed": "true"} if submission.replayed else {}
    if policy.list_view(actor) != CaseView.full:
        receipt = IntakeReceipt(report_id=submission.body["report_id"])
        return JSONResponse(
            receipt.model_dump(), status_code=submission.status_code, headers=headers
        )
    if submission.status_code == 201:
        headers["Location"] = f"/api/v1/cases/{submission.body['case_code']}"
    return JSONResponse(submission.body, status_code=submission.status_code, headers=headers)
