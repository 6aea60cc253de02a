"""Who owns a case, on the pages: the supervisor's form to assign or reassign it
(``/ho-so/{code}/phan-cong``) and a caseworker's "Nhận hồ sơ" button (``/ho-so/{code}/nhan``).

Both go through the same use cases as ``POST /api/v1/cases/{code}/assign`` and ``/take``
(lock, version check, history, message, audit, one transaction) and answer like pages: to
the case with a banner when done; the form again, everything typed kept, with the problem
said (422), or when the case changed meanwhile or someone took it first (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.authz import policy
from casework.authz.deps import CaseAccess, case_for
from casework.authz.policy import Action
from casework.cases import assignment, use_cases
from casework.cases.models import CaseStatus, ProtectionCase
from casework.cases.schemas import AssignCase, CaseRead, TakeCase
from casework.children.models import Child
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, Submission, validate

router = APIRouter(include_in_schema=False)
TAKE_BUTTON = "nhan-ho-so"
AssignPath = Annotated[CaseAccess, case_for(Action.case_assign)]
TakePath = Annotated[CaseAccess, case_for(Action.case_take)]

# The banner on the case page after a change of owner (``?xong=…``).
DONE = {
    assignment.ASSIGNED: N_("Đã giao người phụ trách hồ sơ"),
    assignment.TAKEN: N_("Bạn đã nhận phụ trách hồ sơ này"),
}


@dataclass(frozen=True)
class OwnerOffer:
    """What the case page offers about its owner to this person."""

    name: str | None
    may_assign: bool
    may_take: bool


def offer(actor: Actor, case: CaseRead) -> OwnerOffer:
    """The owner's name, and whether this person may assign the case or take it now."""
    open_ = case.status != CaseStatus.closed
    may_assign = open_ and policy.gate(actor, Action.case_assign).allowed
    return OwnerOffer(
        name=case.assigned_caseworker_name,
        may_assign=may_assign,
        # the supervisor gives it (to themself too) from the form instead
        may_take=open_
        and not may_assign
        and case.assigned_caseworker_id is None
        and policy.gate(actor, Action.case_take).allowed,
    )


def _page(
    request: Request,
    access: CaseAccess,
    factory: SessionFactoryDep,
    *,
    mode: str,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    """The form (``mode`` "assign") or a refused "Nhận hồ sơ" ("take"), read fresh."""
    with factory() as session:
        case = session.get_one(ProtectionCase, access.id)
        context = {
            "code": case.code,
            "version": case.version,
            "child_name": session.get_one(Child, case.child_id).full_name,
            "owner": assignment.owner_name(session, case=case),
            "unassigned": case.assigned_caseworker_id is None,
            "closed": case.status == CaseStatus.closed,
            "people": assignment.owners(session, commune_id=case.commune_id),
            "current_id": case.assigned_caseworker_id,
        }
    write_audit(request, access.actor, use_cases.case_viewed(access.code, "full", form=mode))
    return render(
        request,
        "cases/owner.html",
        {**context, "mode": mode, "typed": typed or {}, "errors": errors or FormErrors()},
        actor=access.actor,
        status_code=status_code,
    )


@router.get("/ho-so/{code}/phan-cong")
def assign_form(request: Request, access: AssignPath, factory: SessionFactoryDep) -> Response:
    """Giao người phụ trách: the supervisor's form (a caseworker or supervisor of the
    commune, a reason if they wish)."""
    return _page(request, access, factory, mode="assign")


@router.post("/ho-so/{code}/phan-cong")
def assign(
    request: Request,
    access: AssignPath,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Give the case to the chosen person; the form again when refused."""
    lang = lang_of(request)
    sent: Submission[AssignCase] = validate(
        AssignCase, form, tz=settings.tz, lang=lang, choices={"caseworker_id"}
    )
    if sent.errors:
        return _page(
            request,
            access,
            factory,
            mode="assign",
            typed=sent.typed,
            errors=sent.errors,
            status_code=422,
        )
    assert sent.data is not None
    body = sent.data
    try:
        run_in_transaction(
            factory,
            lambda session: use_cases.assign(
                session,
                access.actor,
                code=access.code,
                body=body,
                origin=origin_of(request),
                now=clock.now(),
                tz=settings.tz,
            ),
        )
    except CaseworkError as refused:
        errors = FormErrors.from_exception(refused, lang, fallback="caseworker_id")
        return _page(
            request,
            access,
            factory,
            mode="assign",
            typed=sent.typed,
            errors=errors,
            status_code=refused.status_code,
        )
    return redirect(f"/ho-so/{access.code}?xong={assignment.ASSIGNED}")


@router.post("/ho-so/{code}/nhan")
def take(
    request: Request,
    access: TakePath,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Nhận hồ sơ: this person becomes the case's caseworker, if nobody was first."""
    lang = lang_of(request)
    sent: Submission[TakeCase] = validate(TakeCase, form, tz=settings.tz, lang=lang)
    errors, status_code = sent.errors, 422
    if sent.data is not None:
        version = sent.data.expected_version
        try:
            run_in_transaction(
                factory,
                lambda session: use_cases.take(
                    session,
                    access.actor,
                    code=access.code,
                    expected_version=version,
                    origin=origin_of(request),
                    now=clock.now(),
                ),
            )
            return redirect(f"/ho-so/{access.code}?xong={assignment.TAKEN}")
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang)
            status_code = refused.status_code
    # The page has one button: every problem points at it.
    errors = FormErrors([(TAKE_BUTTON, message) for _, message in errors.summary])
    return _page(request, access, factory, mode="take", errors=errors, status_code=status_code)
