"""Bàn giao công việc: the supervisor's page to hand what a leaving colleague holds (open
cases, accepted tasks) to another in one step (``cases.handover``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from casework.accounts.auth import origin_of
from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.cases import handover
from casework.cases.schemas import HandOver
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.web.forms import FormErrors
from casework.web.i18n import lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)
SupervisorDep = Allowed(Action.case_assign)


def _page(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    done: tuple[int, int] | None = None,
    status_code: int = 200,
) -> Response:
    assert actor.commune_id is not None
    people = [
        {"id": user.id, "full_name": user.full_name, "role": Role(user.role)}
        for user in session.exec(
            select(User)
            .where(User.commune_id == actor.commune_id, User.is_active)
            .order_by(User.full_name, User.id)
        )
    ]
    context = {
        "holdings": handover.holdings(session, commune_id=actor.commune_id),
        "people": people,
        "typed": typed or {},
        "errors": errors or FormErrors(),
        "done": done,
    }
    return render(request, "cases/handover.html", context, actor=actor, status_code=status_code)


@router.get("/ban-giao")
def handover_page(
    request: Request,
    actor: SupervisorDep,
    session: ReadSessionDep,
    ho_so: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    nhiem_vu: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    """Who holds open cases or tasks, and the form to hand them over (with what the last
    hand-over moved, after it)."""
    done = (ho_so, nhiem_vu) if ho_so is not None and nhiem_vu is not None else None
    return _page(request, actor, session, done=done)


@router.post("/ban-giao")
def hand_over(
    request: Request,
    actor: SupervisorDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Hand everything over, or the form again saying why not."""
    lang = lang_of(request)
    sent = validate(
        HandOver, form, tz=settings.tz, lang=lang, choices={"leaver_id", "colleague_id"}
    )
    errors, status_code, done = sent.errors, 422, None
    if not errors:
        assert sent.data is not None
        data = sent.data

        def work(session: Session) -> handover.HandedOver:
            now = clock.now()
            result = handover.hand_over(session, actor, leaver_id=data.leaver_id,
                                        colleague_id=data.colleague_id, reason=data.reason,
                                        now=now, tz=settings.tz)  # fmt: skip
            detail = {"change": "handed_over", "to_user_id": data.colleague_id,
                      "cases": result.cases, "tasks": result.tasks}  # fmt: skip
            record = Record(AuditAction.update, "user", str(data.leaver_id), detail=detail)
            audit_service.append(session, actor, record, origin=origin_of(request), now=now)
            return result

        try:
            done = run_in_transaction(factory, work)
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang, fallback="leaver_id")
            status_code = refused.status_code
    if done is not None:
        return redirect(f"/ban-giao?ho_so={done.cases}&nhiem_vu={done.tasks}")
    with factory() as session:
        return _page(request, actor, session, typed=sent.typed, errors=errors,
                     status_code=status_code)  # fmt: skip
