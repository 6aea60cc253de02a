"""Việc cần lãnh đạo xử lý (the escalation queue): the supervisor's queue, most urgent
first, and the page where one escalation is worked (acknowledge, reassign to another
agency, extend with a reason).

Caseworkers may read the queue (the policy); only the supervisor acts on it. The actions
go through the same services, locks and audit entries as ``POST /api/v1/escalations/
{id}/…`` (``casework.escalations.views.act_on``). Filters are GET parameters, so a
filtered queue can be bookmarked; nothing ticks: the page says when it was made and
offers a link to make it again (UX.md §2.3).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import write_audit
from casework.agencies import service as agency_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy, scopes
from casework.authz.deps import Allowed, CaseAccess, escalation_for
from casework.authz.policy import Action
from casework.cases.models import ProtectionCase, Task
from casework.cases.wording import CHANNELS, MESSAGE_KINDS
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError, NotFound
from casework.escalations import actions
from casework.escalations import repository as queue
from casework.escalations import service as escalation_service
from casework.escalations import views as escalation_views
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.escalations.schemas import Extend, Reassign, Settle
from casework.pagination import PageParams
from casework.schemas_common import Id, PageNumber
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import DateRule, FormItems, Submission, validate

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
DONE = {
    "acknowledged": N_("Bạn đã nhận xử lý việc này. Các lãnh đạo khác thấy bạn đang xử lý."),
    "reassigned": N_("Đã giao lại nhiệm vụ cho cơ quan khác, với thời hạn mới."),
    "extended": N_("Đã gia hạn. Lý do được ghi vào hồ sơ."),
    "resent": N_(
        "Đã gửi lại các thông báo. Nếu vẫn không gửi được, việc sẽ lại được chuyển lên lãnh đạo."
    ),
    "settled": N_("Đã ghi vào hồ sơ cách đã báo cho cơ quan."),
}
CLOCKS = {
    "hours": N_("tính theo giờ"),
    "days": N_("tính theo ngày"),
    "months": N_("tính theo tháng"),
    "working_days": N_("tính theo ngày làm việc"),
}
TASK_CLOCKS = {"task_ack": N_("Hạn nhận nhiệm vụ"), "task_due": N_("Hạn hoàn thành")}


@router.get("/leo-thang")
def queue_page(
    request: Request,
    actor: Allowed(Action.escalation_list),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    agency: Annotated[list[Id], Query()] = [],  # noqa: B006  (FastAPI copies defaults)
    reason: Annotated[list[EscalationReason], Query()] = [],  # noqa: B006
    page: Annotated[PageNumber, Query()] = 1,
    done: str | None = None,
) -> Response:
    """The waiting escalations of the commune: emergencies, then lateness, then risk."""
    now = clock.now()
    listing, counts = queue.queue_page(
        session,
        scope=scopes.escalations(actor),
        filters=queue.QueueFilters(tuple(agency), tuple(reason)),
        params=PageParams(page=page, page_size=PAGE_SIZE),
        now=now,
        today=local_date(now, settings.tz),
        names=policy.sees_names(actor),
    )
    agencies = agency_service.agencies_of(session, commune_id=actor.commune_id)
    codes = sorted({row.case_code for row in listing.items if row.case_code})
    record = Record(AuditAction.view, "escalation_queue", None, detail={"cases": codes})
    write_audit(request, actor, record, after=session)
    return render(
        request,
        "escalations/queue.html",
        {
            "listing": listing,
            "counts": counts,
            "agencies": agencies,
            "reasons": list(EscalationReason),
            "chosen": {"agency": set(agency), "reason": set(reason)},
            "filtered": bool(agency or reason),
            "notice": DONE.get(done or ""),
            **_words(),
        },
        actor=actor,
    )


def _words() -> dict[str, Any]:
    return {
        "clocks": CLOCKS,
        "task_clocks": TASK_CLOCKS,
        "message_kinds": MESSAGE_KINDS,
        "channels": CHANNELS,
    }


class Working:
    """One escalation being looked at or worked: its case, the clock, and its page."""

    def __init__(
        self,
        request: Request,
        escalation_id: int,
        factory: SessionFactoryDep,
        clock: ClockDep,
        settings: SettingsDep,
    ) -> None:
        self.request, self.escalation_id, self.factory = request, escalation_id, factory
        self.clock, self.tz = clock, settings.tz

    def page(
        self,
        session: Session,
        access: CaseAccess,
        *,
        errors: FormErrors | None = None,
        typed: dict[str, str] | None = None,
        posted: str | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Response:
        """The escalation with what may be done about it now (the read audited);
        ``posted``: the form sent, shown again with what was typed."""
        actor, now = access.actor, self.clock.now()
        row = queue.queue_row(
            session,
            scope=scopes.full_cases(actor),
            escalation_id=self.escalation_id,
            now=now,
            today=local_date(now, self.tz),
            names=policy.sees_names(actor),
        )
        if row is None:  # resolved and its case closed since the access check
            raise NotFound()
        takers = []
        if row.task_id is not None:
            task = session.get_one(Task, row.task_id)
            case = session.get_one(ProtectionCase, task.case_id)
            takers = actions.takers(session, case=case, task=task)
        record = Record(AuditAction.view, "escalation", str(row.id), detail={"case": row.case_code})
        write_audit(self.request, actor, record, after=session)
        works = policy.gate(actor, Action.escalation_act).allowed
        waiting = row.status != EscalationStatus.resolved
        return render(
            self.request,
            "escalations/escalation.html",
            {
                "row": row,
                "agencies": takers,
                "may_work": works and waiting,
                "can_acknowledge": works and row.status == EscalationStatus.open,
                "can_reassign": works and waiting and row.task_id is not None,
                "can_extend": works and waiting and row.deadline_running,
                "can_resend": works and waiting and row.reason == EscalationReason.message_failed,
                "errors": errors or FormErrors(),
                "typed": typed or {},
                "posted": posted,
                "notice": notice,
                "conflict": status_code == 409,
                **_words(),
            },
            actor=actor,
            status_code=status_code,
        )

    def validate(self, schema: type[Any], form: list[tuple[str, str]], **kinds: Any) -> Any:
        return validate(schema, form, tz=self.tz, lang=lang_of(self.request), **kinds)

    def act(
        self,
        access: CaseAccess,
        verb: str,
        act: escalation_views.Act,
        sent: Submission[Any] | None = None,
    ) -> Response | None:
        """Do it (None), or show the page again: 422 for a refused form, 409 when it was
        resolved meanwhile, with what was typed kept."""
        errors, status_code = (sent.errors if sent else FormErrors()), 422
        if not errors:
            try:
                escalation_views.act_on(
                    self.request, self.factory, self.clock, access, self.escalation_id, verb, act
                )
                return None
            except CaseworkError as exc:
                errors = FormErrors.from_exception(exc, lang_of(self.request))
                status_code = exc.status_code
        with self.factory() as session:
            typed = sent.typed if sent else {}
            return self.page(
                session, access, errors=errors, typed=typed, posted=verb, status_code=status_code
            )


WorkingDep = Annotated[Working, Depends(Working)]
SeeDep = Annotated[CaseAccess, escalation_for(Action.escalation_list)]
ActDep = Annotated[CaseAccess, escalation_for(Action.escalation_act)]


@router.get("/leo-thang/{escalation_id}")
def escalation_page(
    working: WorkingDep, access: SeeDep, session: ReadSessionDep, done: str | None = None
) -> Response:
    """One escalation: why it is here, its deadline, and the supervisor's three actions."""
    return working.page(session, access, notice=DONE.get(done or ""))


@router.post("/leo-thang/{escalation_id}/nhan-xu-ly")
def acknowledge(working: WorkingDep, access: ActDep) -> Response:
    """Nhận xử lý: this supervisor takes it, so another does not act twice."""
    now = working.clock.now()

    def act(session: Session, escalation: Escalation, case: ProtectionCase) -> None:
        escalation_service.acknowledge(
            session, access.actor, escalation=escalation, case=case, now=now
        )

    shown = working.act(access, "acknowledge", act)
    return shown or redirect(f"/leo-thang/{working.escalation_id}?done=acknowledged")


@router.post("/leo-thang/{escalation_id}/giao-lai")
def reassign(working: WorkingDep, access: ActDep, form: FormItems) -> Response:
    """Giao lại: the stuck task goes to another agency, with fresh clocks."""
    sent: Submission[Reassign] = working.validate(Reassign, form, choices={"agency_id"})
    now, tz = working.clock.now(), working.tz

    def act(session: Session, escalation: Escalation, case: ProtectionCase) -> None:
        assert sent.data is not None
        actions.reassign(
            session,
            access.actor,
            escalation=escalation,
            case=case,
            agency_id=sent.data.agency_id,
            reason=sent.data.reason,
            now=now,
            tz=tz,
        )

    return working.act(access, "reassign", act, sent) or redirect("/leo-thang?done=reassigned")


@router.post("/leo-thang/{escalation_id}/gia-han")
def extend(working: WorkingDep, access: ActDep, form: FormItems) -> Response:
    """Gia hạn: a new deadline (day, month, year and time), with a reason on record."""
    sent: Submission[Extend] = working.validate(Extend, form, dates=[DateRule("due_at")])
    now, settings = working.clock.now(), working.request.app.state.settings

    def act(session: Session, escalation: Escalation, case: ProtectionCase) -> None:
        assert sent.data is not None
        actions.extend(
            session,
            access.actor,
            escalation=escalation,
            case=case,
            due_at=sent.data.due_at,
            reason=sent.data.reason,
            now=now,
            max_days=settings.extension_max_days,
            tz=settings.tz,
        )

    return working.act(access, "extend", act, sent) or redirect("/leo-thang?done=extended")


@router.post("/leo-thang/{escalation_id}/gui-lai")
def resend(working: WorkingDep, access: ActDep) -> Response:
    """Gửi lại: the case's undelivered messages go again, to the addresses people have now."""
    now = working.clock.now()

    def act(session: Session, escalation: Escalation, case: ProtectionCase) -> int:
        return actions.resend(session, access.actor, escalation=escalation, case=case, now=now)

    return working.act(access, "resend", act) or redirect("/leo-thang?done=resent")


@router.post("/leo-thang/{escalation_id}/da-bao")
def settle(working: WorkingDep, access: ActDep, form: FormItems) -> Response:
    """Đã báo bằng cách khác: how the agency was told instead, on the case's record."""
    sent: Submission[Settle] = working.validate(Settle, form)
    now = working.clock.now()

    def act(session: Session, escalation: Escalation, case: ProtectionCase) -> None:
        assert sent.data is not None
        actions.settle(
            session,
            access.actor,
            escalation=escalation,
            case=case,
            reason=sent.data.reason,
            now=now,
        )

    return working.act(access, "settle", act, sent) or redirect("/leo-thang?done=settled")
