"""The intake page (Mẫu 01): a report about a child, with live duplicate suggestions.

Everyone who must report may (caseworkers, the supervisor, agencies, village
collaborators). The form is plain HTML: it works without JavaScript, is judged by the
API's own ``IntakeCreate`` and ``intake_service.submit``, and carries a submission id
(the idempotency key), so a double click or a retry on a weak connection never opens two
cases. Typing the child's name shows the children of the commune with a similar name
(HTMX swaps that one fragment; without JavaScript the "Tìm" button posts the form and the
page comes back with everything typed). Only who may read the children register sees
those suggestions (caseworkers and the supervisor); a collaborator or an agency gets a
receipt, never the case.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from casework import text
from casework.accounts.auth import origin_of
from casework.actors import Actor
from casework.authz import policy
from casework.authz.deps import Allowed
from casework.authz.policy import Action, CaseView
from casework.children.schemas import ChildSummary
from casework.children.views import listed
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep, get_settings
from casework.errors import FieldError, InvalidInput
from casework.intake import form as intake_form
from casework.intake import service as intake_service
from casework.intake.idempotency import IdempotencyKeyReused
from casework.intake.models import Channel, HarmForm, PerpetratorRelation, Setting
from casework.intake.validation import Today
from casework.pagination import PageParams
from casework.web import i18n
from casework.web.pages import redirect, render

router = APIRouter(include_in_schema=False)
Reporter = Allowed(Action.intake_create)
RECEIPT = "intake_receipt"  # the session remembers the last report number it sent
MATCHES = PageParams(page=1, page_size=8)
MIN_SEARCH = 2  # letters of a name before the register is searched


async def _posted(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


Posted = Annotated[list[tuple[str, str]], Depends(_posted)]


@router.get("/bao-cao/moi", response_class=HTMLResponse)
def new_report(
    request: Request,
    actor: Reporter,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """The report form (Mẫu 01), received now unless changed."""
    typed = intake_form.Typed.blank(now=clock.now(), tz=settings.tz)
    return _form(request, actor, factory, typed)


@router.post("/bao-cao/moi", response_class=HTMLResponse)
def send_report(
    request: Request,
    actor: Reporter,
    posted: Posted,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Record the report once, whatever the retries, then show the case (or, to whoever may
    not read it, a receipt). "Tìm" only searches the children and saves nothing."""
    typed = intake_form.Typed.of(posted)
    if typed.action == intake_form.SEARCH:
        return _form(request, actor, factory, typed)
    lang = i18n.lang_of(request)
    today = Today(now=clock.now(), tz=settings.tz, late_report_days=settings.late_report_days)
    try:
        data = intake_form.parse(typed, today=today, lang=lang)
        submission = run_in_transaction(
            factory,
            lambda session: intake_service.submit_as(
                session,
                actor,
                data=data,
                idempotency_key=f"page:{actor.user_id}:{typed.submission_id}",
                origin=origin_of(request),
                now=today.now,
                tz=settings.tz,
                late_report_days=settings.late_report_days,
                adhoc_report_hours=settings.adhoc_report_hours,
            ),
        )
    except intake_form.FormInvalid as exc:
        return _form(request, actor, factory, typed, errors=exc.errors, status_code=422)
    except IdempotencyKeyReused:
        errors = intake_form.page_errors([FieldError((), "intake_sent_before")], lang)
        return _form(request, actor, factory, typed.renewed(), errors=errors, status_code=409)
    except InvalidInput as exc:
        errors = intake_form.page_errors(exc.errors(), lang)
        return _form(request, actor, factory, typed, errors=errors, status_code=422)
    if policy.list_view(actor) == CaseView.full:
        return redirect(f"/ho-so/{submission.body['case_code']}")
    request.session[RECEIPT] = submission.body["report_id"]
    return redirect("/bao-cao/da-nhan")


@router.get("/bao-cao/da-nhan", response_class=HTMLResponse)
def report_received(request: Request, actor: Reporter) -> Response:
    """The receipt of someone who may not read cases: received, and what happens next."""
    report_id = request.session.get(RECEIPT)
    return render(
        request,
        "intake/received.html",
        {"report_id": report_id if isinstance(report_id, int) else None},
        actor=actor,
    )


def _form(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    typed: intake_form.Typed,
    *,
    errors: intake_form.PageErrors | None = None,
    status_code: int = 200,
) -> Response:
    """The form with what was typed, and the children whose name is like the child's."""
    can_search = policy.gate(actor, Action.child_list).allowed
    name = typed.get("child.full_name")
    matches: list[ChildSummary] | None = None
    with factory() as session:
        places = intake_service.form_places(session, commune_id=actor.commune_id)
        if can_search and len(text.fold(name)) >= MIN_SEARCH:
            matches = listed(request, actor, session, q=name, params=MATCHES).items
    hidden = i18n.gettext_for(request, "Lỗi")
    by_field = errors.by_field if errors else {}

    def error_message(field: str) -> dict[str, str] | None:
        message = by_field.get(field)
        return {"text": message, "visuallyHiddenText": hidden} if message else None

    return render(
        request,
        "intake/new.html",
        {
            "typed": typed,
            "channel_choices": list(Channel),
            "harm_choices": list(HarmForm),
            "setting_choices": list(Setting),
            "perpetrator_choices": list(PerpetratorRelation),
            "places": places,
            "late_report_days": get_settings(request).late_report_days,
            "can_search": can_search,
            "matches": matches,
            "errors": errors,
            "error_message": error_message,
            "error_parts": errors.parts if errors else {},
        },
        actor=actor,
        status_code=status_code,
    )
