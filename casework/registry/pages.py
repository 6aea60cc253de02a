"""The register's pages: a child's groups, at-risk marks, support and proposals, with the
forms to change them (``/tre-em/{id}/nhom-hoan-canh``), and the commune's proposals from
cases waiting for a decision (``/dang-ky/de-xuat``).

Each form posts to its own address, runs one use case in one transaction with its audit
entry, and comes back to the page (303) with a notice; a refused form shows the page again
with what was typed and the error next to the field of that form only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from casework.accounts.auth import write_audit
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.children.models import Child, CircumstanceGroup, MembershipEnd
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.registry import groups, proposals, use_cases
from casework.registry import service as registry_service
from casework.registry.models import SupportKind
from casework.registry.schemas import (
    MembershipCreate,
    MembershipEndIn,
    ProposalDecision,
    SupportCreate,
    SupportEndIn,
)
from casework.registry.views import audit_register_read, context
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import DateRule, FormItems, validate

router = APIRouter(include_in_schema=False)
PAGE = "/tre-em/{child_id}/nhom-hoan-canh"
DONE = {
    "membership_added": N_("Đã ghi nhóm cho trẻ."),
    "membership_ended": N_("Đã kết thúc nhóm; dòng cũ vẫn ở phần lịch sử."),
    "support_added": N_("Đã ghi hỗ trợ."),
    "support_ended": N_("Đã ghi ngày kết thúc hỗ trợ."),
    "proposal_decided": N_("Đã lưu quyết định về đề xuất."),
}


def _page(
    request: Request,
    access: ChildAccess,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    *,
    form: str = "",
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
) -> Response:
    today = local_date(clock.now(), settings.tz)
    with factory() as session:
        child = session.get_one(Child, access.id)
        name = child.full_name
        found = registry_service.child_register(session, child_id=access.id, today=today)
        audit_register_read(request, access.actor, access.id, session)
    return render(
        request,
        "registry/child.html",
        {
            "child_id": access.id,
            "child_name": name,
            "register": found,
            "groups": list(CircumstanceGroup),
            "subgroups": groups.SUBGROUPS,
            "end_reasons": list(MembershipEnd),
            "support_kinds": list(SupportKind),
            "form": form,
            "typed": typed or {},
            "errors": errors or FormErrors(),
            "notice": notice,
        },
        actor=access.actor,
        status_code=422 if errors else 200,
    )


@router.get(PAGE)
def child_register_page(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_list)],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    """The child's groups, at-risk marks, history, support and proposals, with their forms."""
    return _page(request, access, factory, clock, settings, notice=DONE.get(done or ""))


def _submit(
    request: Request,
    access: ChildAccess,
    form: list[tuple[str, str]],
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    *,
    name: str,
    schema: type[BaseModel],
    dates: list[DateRule],
    work: Callable[[Session, use_cases.Context, Any], object],
    done: str,
) -> Response:
    """Validate the posted ``form`` with the API's schema, run ``work`` in one transaction,
    and come back to the page; or show it again with what was typed and why not."""
    lang = lang_of(request)
    sent = validate(schema, form, tz=settings.tz, lang=lang, dates=dates)
    errors = sent.errors
    if sent.data is not None:
        ctx = context(request, access, clock, settings)
        try:
            run_in_transaction(factory, lambda session: work(session, ctx, sent.data))
            return redirect(f"/tre-em/{access.id}/nhom-hoan-canh?done={done}#{name}")
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang, fallback=name)
    return _page(
        request, access, factory, clock, settings, form=name, typed=sent.typed, errors=errors
    )


def _form_name(form: list[tuple[str, str]], key: str, prefix: str) -> str:
    """The form's own anchor: one end form per row, told apart by the row's id."""
    row = next((value for name, value in form if name == key), "")
    return f"{prefix}-{row}" if row.isdigit() else prefix


@router.post(PAGE)
def add_membership(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.membership_write)],
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Ghi nhóm: a group with its sub-group, or an at-risk mark, from a day, with evidence."""
    return _submit(
        request, access, form, factory, clock, settings,
        name="them-nhom", schema=MembershipCreate, dates=[DateRule("since", time=False)],
        work=use_cases.add_membership, done="membership_added",
    )  # fmt: skip


@router.post(f"{PAGE}/ket-thuc")
def end_membership(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.membership_write)],
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Kết thúc nhóm: the end date, the reason and the evidence."""
    return _submit(
        request, access, form, factory, clock, settings,
        name=_form_name(form, "membership_id", "ket-thuc"), schema=MembershipEndIn,
        dates=[DateRule("until", time=False)], work=use_cases.end_membership,
        done="membership_ended",
    )  # fmt: skip


@router.post("/tre-em/{child_id}/ho-tro")
def add_support(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.support_write)],
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Ghi hỗ trợ: the kind, the period, who gave it and how much."""
    return _submit(
        request, access, form, factory, clock, settings,
        name="them-ho-tro", schema=SupportCreate,
        dates=[DateRule("since", time=False), DateRule("until", time=False, required=False)],
        work=use_cases.add_support, done="support_added",
    )  # fmt: skip


@router.post("/tre-em/{child_id}/ho-tro/ket-thuc")
def end_support(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.support_write)],
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Ghi ngày kết thúc hỗ trợ."""
    return _submit(
        request, access, form, factory, clock, settings,
        name=_form_name(form, "support_id", "ket-thuc-ho-tro"), schema=SupportEndIn,
        dates=[DateRule("until", time=False)], work=use_cases.end_support, done="support_ended",
    )  # fmt: skip


@router.post("/tre-em/{child_id}/de-xuat")
def decide_proposal(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.proposal_decide)],
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Xác nhận (the membership starts on the day given) or không đưa vào (with a reason)."""
    confirming = ("decision", "confirm") in form
    return _submit(
        request, access, form, factory, clock, settings,
        name=_form_name(form, "proposal_id", "de-xuat"), schema=ProposalDecision,
        dates=[DateRule("since", time=False)] if confirming else [],
        work=use_cases.decide_proposal, done="proposal_decided",
    )  # fmt: skip


@router.get("/dang-ky/de-xuat")
def open_proposals(
    request: Request, actor: Allowed(Action.child_list), factory: SessionFactoryDep
) -> Response:
    """The commune's proposals from cases waiting for a caseworker's decision."""
    with factory() as session:
        found = proposals.open_in_commune(session, commune_id=actor.commune_id or 0)
        record = Record(
            AuditAction.view,
            "registry_proposals",
            None,
            detail={"children": sorted({p.child_id for p in found})},
        )
        write_audit(request, actor, record, after=session)
    return render(request, "registry/proposals.html", {"proposals": found}, actor=actor)
