"""Rà soát thôn, the commune's side: the caseworker sees the villages' reviews, applies or
rejects each answer that would change the register, closes each review; each quarter she
closes the quarter with a summary the supervisor reads (``/ra-soat-quy``).

Each change is one transaction with its audit entry (the child's id when a record changes).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.children.models import MembershipEnd
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.registry.review import decisions, flow
from casework.registry.review import service as review_service
from casework.registry.review.schemas import DecisionIn, QuarterCloseIn
from casework.schemas_common import INT_MAX
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)
PATH = "/ra-soat"
QUARTERS = "/ra-soat-quy"
Caseworker = Allowed(Action.review_manage)
ReviewId = Annotated[int, Path(ge=1, le=INT_MAX)]
DONE = {
    "decided": N_("Đã ghi nhận quyết định."),
    "closed": N_("Đã hoàn thành đợt rà soát."),
    "quarter": N_("Đã tổng hợp quý."),
}


def _audit(
    request: Request, actor: Actor, session: Session, record: Record, clock: ClockDep
) -> None:
    audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())


@router.get(PATH)
def reviews(request: Request, actor: Caseworker, factory: SessionFactoryDep) -> Response:
    """The villages' reviews, newest month first; those waiting for the caseworker marked."""
    assert actor.commune_id is not None
    with factory() as session:
        rows = decisions.commune_reviews(session, commune_id=actor.commune_id, month=None)
    write_audit(request, actor, Record(AuditAction.view, "village_reviews", None))
    return render(request, "registry/review_office_list.html", {"rows": rows}, actor=actor)


def _review_page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    review_id: int,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        review = decisions.get_in_commune(session, actor, review_id=review_id)
        rows = decisions.office_items(session, review=review)
        village = review_service.sheet(session, review=review).village
    children = [row.child_id for row in rows if row.child_id is not None]
    write_audit(
        request,
        actor,
        Record(AuditAction.view, "village_review", str(review_id), detail={"children": children}),
    )
    return render(
        request,
        "registry/review_office.html",
        {
            "review": review,
            "village": village,
            "rows": rows,
            "end_reasons": list(MembershipEnd),
            "typed": typed or {},
            "errors": errors or FormErrors(),
            "notice": notice,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get(PATH + "/{review_id}")
def review_page(
    request: Request,
    actor: Caseworker,
    factory: SessionFactoryDep,
    review_id: ReviewId,
    done: str | None = None,
) -> Response:
    """One village's review: each answer, and what the caseworker decided of it."""
    return _review_page(request, actor, factory, review_id, notice=DONE.get(done or ""))


@router.post(PATH + "/{review_id}/quyet-dinh")
def decide(
    request: Request,
    actor: Caseworker,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    review_id: ReviewId,
) -> Response:
    """Cập nhật / Không cập nhật one answer."""
    lang = lang_of(request)
    sent = validate(DecisionIn, form, tz=settings.tz, lang=lang, choices={"decision"})
    errors = sent.errors
    if sent.data is not None:
        entry: DecisionIn = sent.data

        def work(session: Session) -> None:
            review = decisions.get_in_commune(session, actor, review_id=review_id)
            item = decisions.decide(
                session,
                actor,
                review=review,
                item_id=entry.item_id,
                decision=entry.decision,
                end_reason=entry.end_reason,
                ethnicity=entry.ethnicity,
                note=entry.note,
                now=clock.now(),
                today=local_date(clock.now(), settings.tz),
            )
            detail = {"action": str(entry.decision), "item": item.id, "child": item.child_id}
            record = Record(AuditAction.update, "village_review", str(review_id), detail=detail)
            _audit(request, actor, session, record, clock)

        try:
            run_in_transaction(factory, work)
            return redirect(f"{PATH}/{review_id}?done=decided#muc-{entry.item_id}")
        except CaseworkError as refused:
            if refused.status_code == 404:
                raise
            errors = FormErrors.from_exception(refused, lang, fallback="cac-noi-dung")
    return _review_page(
        request, actor, factory, review_id, typed=sent.typed, errors=errors, status_code=422
    )


@router.post(PATH + "/{review_id}/hoan-thanh")
def close_review(
    request: Request,
    actor: Caseworker,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    review_id: ReviewId,
) -> Response:
    """Hoàn thành: every answer decided, the review is closed."""

    def work(session: Session) -> None:
        review = decisions.get_in_commune(session, actor, review_id=review_id)
        flow.close(session, actor, review=review, now=clock.now(), tz=settings.tz)
        record = Record(
            AuditAction.update, "village_review", str(review_id), detail={"action": "close"}
        )
        _audit(request, actor, session, record, clock)

    try:
        run_in_transaction(factory, work)
        return redirect(f"{PATH}/{review_id}?done=closed")
    except CaseworkError as refused:
        if refused.status_code == 404:
            raise
        errors = FormErrors.from_exception(refused, lang_of(request), fallback="hoan-thanh")
    return _review_page(request, actor, factory, review_id, errors=errors, status_code=409)


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters_page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    today: date,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    assert actor.commune_id is not None
    year, quarter = _quarter_of(today)
    with factory() as session:
        closed = decisions.quarters(session, commune_id=actor.commune_id)
        # The quarter just ended comes first while it is not closed: it is closed after it ends.
        last = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        if last not in {(q.year, q.quarter) for q in closed}:
            year, quarter = last
        live = decisions.quarter_counts(
            session, commune_id=actor.commune_id, year=year, quarter=quarter
        )
    write_audit(request, actor, Record(AuditAction.view, "review_quarters", None))
    return render(
        request,
        "registry/review_quarters.html",
        {
            "closed": closed,
            "live": live,
            "year": year,
            "quarter": quarter,
            "may_close": actor.role == "caseworker",
            "typed": typed or {},
            "errors": errors or FormErrors(),
            "notice": notice,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get(QUARTERS)
def quarters(
    request: Request,
    actor: Allowed(Action.review_quarter_read),
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    """The quarters closed, with their counts per village and note; this quarter so far."""
    today = local_date(clock.now(), settings.tz)
    return _quarters_page(request, actor, factory, today, notice=DONE.get(done or ""))


@router.post(QUARTERS)
def close_quarter(
    request: Request,
    actor: Allowed(Action.review_quarter_close),
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Tổng hợp quý: the counts as they stand and the caseworker's note, kept."""
    lang, today = lang_of(request), local_date(clock.now(), settings.tz)
    sent = validate(QuarterCloseIn, form, tz=settings.tz, lang=lang)
    errors = sent.errors
    if sent.data is not None:
        entry: QuarterCloseIn = sent.data

        def work(session: Session) -> None:
            decisions.close_quarter(
                session,
                actor,
                year=entry.year,
                quarter=entry.quarter,
                note=entry.note,
                now=clock.now(),
            )
            subject = f"{entry.quarter}/{entry.year}"
            _audit(
                request,
                actor,
                session,
                Record(AuditAction.create, "review_quarter", subject),
                clock,
            )

        try:
            run_in_transaction(factory, work)
            return redirect(f"{QUARTERS}?done=quarter")
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang, fallback="tong-hop-quy")
    return _quarters_page(
        request, actor, factory, today, typed=sent.typed, errors=errors, status_code=422
    )
