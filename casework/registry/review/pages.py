"""Rà soát thôn: the reviewer's pages, phone-sized (UX.md: 360 px, one column).

A village's collaborator or head sees her own village's reviews only, and of each listed
child only the name, the birth year and the groups: no address, no case, nothing of what
happened to the child (need-to-know, NĐ56 Đ33). Every sheet shown and sent is in the
audit log with the children's ids.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy
from casework.authz.deps import Allowed, refuse
from casework.authz.policy import Action
from casework.children.models import CircumstanceGroup, Sex
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError, InvalidInput
from casework.registry.review import flow
from casework.registry.review import service as review_service
from casework.registry.review.models import VillageReview
from casework.registry.review.schemas import NEW_ROWS, ReviewSubmit
from casework.registry.review.service import LISTED_ANSWERS, Answers, NewChild, ReviewNotFound
from casework.schemas_common import INT_MAX
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)
PATH = "/ra-soat-thon"
Reviewer = Allowed(Action.review_do)
ReviewId = Annotated[int, Path(ge=1, le=INT_MAX)]
SENT = N_("Đã gửi kết quả rà soát. Cán bộ xã sẽ xác nhận các thay đổi.")


def own_review(request: Request, actor: Actor, session: Session, review_id: int) -> VillageReview:
    """The review, if it is of the actor's village; otherwise 404, recorded as refused."""
    review = session.get(VillageReview, review_id)
    own = review_service.reviewer_village(session, actor)
    decision = (
        policy.review_decision(
            actor,
            Action.review_do,
            commune_id=review.commune_id,
            village_id=review.village_id,
            own_village=own,
        )
        if review is not None
        else policy.HIDE
    )
    if not decision.allowed or review is None:
        refuse(
            request,
            actor,
            Action.review_do,
            decision,
            hidden=ReviewNotFound(review_id=review_id),
            subject=("village_review", str(review_id)),
        )
    assert review is not None
    return review


@router.get(PATH)
def my_reviews(request: Request, actor: Reviewer, factory: SessionFactoryDep) -> Response:
    """The village's reviews, the month's first: one tap to the open one."""
    with factory() as session:
        reviews = review_service.reviews_of_village(session, actor)
        village = reviews[0].village_id if reviews else None
    write_audit(request, actor, Record(AuditAction.view, "village_reviews", str(village or "")))
    return render(request, "registry/review_list.html", {"reviews": reviews}, actor=actor)


def _sheet_page(
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
        review = own_review(request, actor, session, review_id)
        sheet = review_service.sheet(session, review=review)
    shown = [child.child_id for child in sheet.listed]
    write_audit(
        request,
        actor,
        Record(AuditAction.view, "village_review", str(review_id), detail={"children": shown}),
    )
    return render(
        request,
        "registry/review_sheet.html",
        {
            "sheet": sheet,
            "answers": LISTED_ANSWERS,
            "groups": list(CircumstanceGroup),
            "sexes": list(Sex),
            "new_rows": [f"r{n}" for n in range(NEW_ROWS)],
            "typed": typed or {},
            "errors": errors or FormErrors(),
            "notice": notice,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get(PATH + "/{review_id}")
def review_sheet(
    request: Request,
    actor: Reviewer,
    factory: SessionFactoryDep,
    review_id: ReviewId,
    done: str | None = None,
) -> Response:
    """The sheet: each listed child with the four answers, and rows for new children."""
    notice = SENT if done == "sent" else None
    return _sheet_page(request, actor, factory, review_id, notice=notice)


def answers_of(data: ReviewSubmit) -> Answers:
    listed = {}
    for key, entry in data.item.items():
        if key.startswith("c") and key[1:].isdigit() and entry.answer is not None:
            listed[int(key[1:])] = (entry.answer, entry.note)
    new = tuple(
        NewChild(row.full_name, row.birth_year, row.sex, row.group, row.note)
        for _, row in sorted(data.new.items())
    )
    return Answers(listed, new)


@router.post(PATH + "/{review_id}")
def submit_review(
    request: Request,
    actor: Reviewer,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    review_id: ReviewId,
) -> Response:
    """Gửi kết quả: every listed child answered, new children proposed; the caseworker
    confirms the changes."""
    lang = lang_of(request)
    sent = validate(ReviewSubmit, form, tz=settings.tz, lang=lang, choices={"answer", "sex"})
    errors = sent.errors
    if sent.data is not None:
        answers = answers_of(sent.data)

        def work(session: Session) -> None:
            review = own_review(request, actor, session, review_id)
            flow.submit(
                session, actor, review=review, answers=answers, now=clock.now(), tz=settings.tz
            )
            detail = {"action": "submit", "new": len(answers.new)}
            record = Record(AuditAction.update, "village_review", str(review_id), detail=detail)
            audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())

        try:
            run_in_transaction(factory, work)
            return redirect(f"{PATH}/{review_id}?done=sent")
        except InvalidInput as refused:
            errors = FormErrors.from_exception(refused, lang)
        except CaseworkError as refused:
            if refused.status_code == 404:
                raise
            errors = FormErrors.from_exception(refused, lang, fallback="tre-trong-danh-sach")
    return _sheet_page(
        request, actor, factory, review_id, typed=sent.typed, errors=errors, status_code=422
    )
