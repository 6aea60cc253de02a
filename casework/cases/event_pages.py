"""The form of each workflow event: ``GET/POST /ho-so/{code}/su-kien/{event}``.

The page is made from the event's payload schema (``casework.cases.event_forms``), so a
new event in the definition has a form without a new template. A post goes through the
same use case as ``POST /api/v1/cases/{code}/events/{event}`` (lock, fire, audit, one
transaction) and answers like a page: 303 to the case when done; the form again with
everything typed kept and the problems marked when refused (422), or when the case changed
in the meantime or the workflow said no (409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.authz.deps import CaseAccess, case_for
from casework.authz.policy import Action
from casework.cases import event_forms, event_input, flow, lookups, plan_view, use_cases
from casework.cases.event_forms import EventForm, Submitted
from casework.cases.event_input import FormInvalid
from casework.cases.flow import ConcurrentChange
from casework.cases.models import ProtectionCase
from casework.cases.wording import (
    CHOSEN_DATE_HINT,
    CHOSEN_DATE_HINT_OPEN,
    DECISIONS,
    FORM_ANSWERS,
    Decision,
    event_title,
    state_label,
)
from casework.children.models import Child
from casework.clock import Clock
from casework.communes import service as commune_service
from casework.config import Settings
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError, NotFound
from casework.messages import render as render_message
from casework.web import i18n
from casework.web.forms import FormErrors
from casework.web.pages import redirect, render
from workflows.engine import DueChoice, EventOption

router = APIRouter(include_in_schema=False)
EventPath = Annotated[CaseAccess, case_for(Action.case_event)]
PATH = "/ho-so/{code}/su-kien/{event}"


async def _posted(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


Posted = Annotated[list[tuple[str, str]], Depends(_posted)]


@dataclass(frozen=True)
class Screen:
    """What the form page shows about the case, read fresh for every answer."""

    code: str
    version: int
    status: str
    child_name: str
    form: EventForm
    option: EventOption | None  # None: the case's step does not offer the event
    draft: list[lookups.PlannedActivity]
    proposed: dict[str, date] = field(default_factory=dict)  # dates a clock may be set to
    # A decision page (approve or send back a plan): both events' forms in the decision's
    # order, its words, and what is decided, shown read-only.
    decision: Decision | None = None
    forms: tuple[EventForm, ...] = ()
    plan: plan_view.PlanView | None = None

    @property
    def offered(self) -> bool:
        return self.option is not None and (
            self.option.allowed or set(self.option.reasons) <= FORM_ANSWERS
        )


def _screen(
    session: Session,
    request: Request,
    *,
    case_id: int,
    event: str,
    actor: Actor,
    clock: Clock,
    settings: Settings,
) -> Screen:
    case = session.get_one(ProtectionCase, case_id)
    engine = flow.engine_of(case)
    definition = engine.definition
    if event not in definition.events:
        raise NotFound()
    lang, tr = i18n.lang_of(request), partial(i18n.gettext_for, request)
    now = clock.now()
    options = flow.options(session, case=case, actor=actor, now=now, tz=settings.tz)
    agencies = lookups.plan_agencies(session, commune_id=case.commune_id)
    decision = DECISIONS.get(event)
    calendar = commune_service.working_calendar(session, commune_id=case.commune_id, tz=settings.tz)
    proposed: dict[str, date] = {}

    def form_of(name: str) -> EventForm:
        choices = engine.due_choices(name, now, calendar)
        proposed.update({choice.field: choice.proposed for choice in choices})
        return event_forms.build(
            name,
            title=event_title(definition, name, lang, tr),
            lang=lang,
            tr=tr,
            agencies=agencies,
            hints={choice.field: _date_hint(choice, tr) for choice in choices},
        )

    forms = {name: form_of(name) for name in (decision.events if decision else (event,))}
    return Screen(
        code=case.code,
        version=case.version,
        status=state_label(definition, case.status, lang),
        child_name=session.get_one(Child, case.child_id).full_name,
        form=forms[event],
        option=next((o for o in options if o.event == event), None),
        draft=lookups.draft_plan(session, case_id=case.id),
        proposed=proposed,
        decision=decision,
        forms=tuple(forms.values()) if decision else (),
        plan=(
            plan_view.awaiting_approval(session, case_id=case.id, lang=lang)
            if decision is not None and decision.shows_plan
            else None
        ),
    )


def _date_hint(choice: DueChoice, tr: Callable[[str], str]) -> str:
    """The date proposed for a clock and the days it may be set to."""
    words = {
        "proposed": f"{choice.proposed:%d/%m/%Y}",
        "earliest": f"{choice.earliest:%d/%m/%Y}",
        "latest": f"{choice.latest:%d/%m/%Y}" if choice.latest else "",
    }
    return tr(CHOSEN_DATE_HINT if choice.latest else CHOSEN_DATE_HINT_OPEN) % words


def _page(
    request: Request,
    actor: Actor,
    screen: Screen,
    submitted: Submitted,
    *,
    errors: FormErrors | None = None,
    conflict: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "cases/event.html",
        {
            "screen": screen,
            "form": screen.form,
            "values": submitted.values,
            "rows": submitted.rows,
            "errors": errors,
            "conflict": conflict,
            "reasons": [
                render_message(code, i18n.lang_of(request), label="", params={})
                for code in (screen.option.reasons if screen.option else ())
            ],
        },
        actor=actor,
        status_code=status_code,
    )


def _audited_read(request: Request, access: CaseAccess, event: str) -> None:
    write_audit(request, access.actor, use_cases.case_viewed(access.code, "full", form=event))


@router.get(PATH)
def event_form(
    request: Request,
    event: str,
    access: EventPath,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """The form of one step of the case (e.g. Mẫu 02), its times set to now."""
    with factory() as session:
        screen = _screen(
            session,
            request,
            case_id=access.id,
            event=event,
            actor=access.actor,
            clock=clock,
            settings=settings,
        )
    submitted = Submitted()
    for form in screen.forms or (screen.form,):  # a decision page: both events' forms
        blank = event_forms.initial(
            form,
            now=clock.now(),
            tz=settings.tz,
            version=screen.version,
            rows_from=screen.draft,
            proposed=screen.proposed,
        )
        submitted.values.update(blank.values)
        submitted.rows.update(blank.rows)
    _audited_read(request, access, event)
    return _page(request, access.actor, screen, submitted)


@router.post(PATH)
def event_post(
    request: Request,
    event: str,
    access: EventPath,
    posted: Posted,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Response:
    """Record the step: to the case page when done, the form again when not."""
    actor, lang = access.actor, i18n.lang_of(request)

    def screen() -> Screen:
        with factory() as session:
            return _screen(
                session,
                request,
                case_id=access.id,
                event=event,
                actor=actor,
                clock=clock,
                settings=settings,
            )

    shown = screen()
    submitted = event_input.read(shown.form, posted)
    if submitted.adding_row:
        _audited_read(request, access, event)
        return _page(request, actor, shown, submitted)
    try:
        payload = event_input.validate(shown.form, submitted, tz=settings.tz)
    except FormInvalid as refused:
        _audited_read(request, access, event)
        errors = event_input.page_errors(shown.form, refused.problems, lang)
        return _page(request, actor, shown, submitted, errors=errors, status_code=422)
    try:
        run_in_transaction(
            factory,
            lambda session: use_cases.fire(
                session,
                actor,
                code=access.code,
                event=event,
                payload=payload,
                origin=origin_of(request),
                now=clock.now(),
                tz=settings.tz,
            ),
        )
    except ConcurrentChange:
        # Someone else changed the case: show what it is now, keep what was typed, and let
        # the person send it again knowingly (against the version they have now seen).
        fresh = screen()
        submitted.values["expected_version"] = str(fresh.version)
        _audited_read(request, access, event)
        return _page(request, actor, fresh, submitted, conflict=True, status_code=409)
    except CaseworkError as refused:
        fresh = replace(screen(), draft=[])
        boxes = event_input.ticked(fresh.form, submitted.values)
        errors = event_input.page_errors(fresh.form, refused.errors(), lang, boxes=boxes)
        _audited_read(request, access, event)
        return _page(
            request, actor, fresh, submitted, errors=errors, status_code=refused.status_code
        )
    return redirect(f"/ho-so/{access.code}?xong={event}")
