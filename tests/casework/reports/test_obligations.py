"""Reports owed, on the engine like any clock: the calendar opens them, a late one climbs
its ladder to the supervisor's queue, a report sent in time stops its clock; the agency
submits, the caseworker consolidates, the supervisor approves, and it is recorded as sent;
a child sexually abused owes an ad-hoc report within a day."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.deadlines.models import Deadline, DeadlineStatus
from casework.escalations.models import Escalation
from casework.processes.models import WorkflowInstance
from casework.reports.models import PeriodicReport
from casework.reports.tasks import report_job
from notifications.models import OutboxMessage

# 09:00 on Friday 10 April 2026 in Hà Nội: 30 days before the agencies' first-half report
# is due (the end of 10 May), and after the school's opened (3 April, due 3 May).
OPENING = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)
DUE = datetime(2026, 5, 10, 16, 59, tzinfo=UTC)
PAGE = "/bao-cao-dinh-ky"


def user(session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def reports(session) -> list[PeriodicReport]:
    session.expire_all()
    return list(session.exec(select(PeriodicReport).order_by(PeriodicReport.id)).all())


@pytest.fixture
def opened(story, session, databases):
    story.clock.set(OPENING)
    report_job(story.factory, databases.settings, story.clock)()
    return reports(session)


def police_report(session, found) -> PeriodicReport:
    police = session.exec(select(Agency).where(Agency.kind == AgencyKind.police)).one()
    return next(r for r in found if r.agency_id == police.id and r.obligation == "agencies_h1")


def told(session, kind: str, report: PeriodicReport) -> set[str]:
    rows = session.exec(
        select(OutboxMessage.recipient).where(
            OutboxMessage.kind == kind, OutboxMessage.subject_ref == f"report:{report.id}"
        )
    )
    return {session.get(User, int(r.split(":")[1])).username.split(".", 1)[1] for r in rows}


def test_the_calendar_opens_one_report_per_agency_and_the_school_once(
    story,
    session,
    opened,
    databases,
):
    owed = {(r.obligation, r.kind) for r in opened}
    assert owed == {("agencies_h1", "agency"), ("schools_h1", "agency")}
    kinds = {session.get(Agency, r.agency_id).kind for r in opened if r.obligation == "agencies_h1"}
    assert kinds == {
        AgencyKind.police,
        AgencyKind.health_station,
        AgencyKind.justice,
        AgencyKind.womens_union,
        AgencyKind.economic_office,
    }
    report = police_report(session, opened)
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == report.instance_id))
    assert (clock.kind, clock.ladder) == ("agency_report", "report")
    assert clock.due_at.astimezone(UTC) == DUE
    report_job(story.factory, databases.settings, story.clock)()  # again: nothing more
    assert len(reports(session)) == len(opened)


def test_a_late_agency_report_climbs_its_ladder_to_the_supervisors_queue_once(
    story,
    session,
    opened,
):
    report = police_report(session, opened)
    story.pass_time(days=14)
    assert told(session, "report.remind", report) == set()
    story.pass_time(days=2)  # past half the lead time
    assert told(session, "report.remind", report) == {"police.officer", "police.head"}
    story.pass_time(days=7)  # past three quarters
    assert told(session, "report.warn", report) == {"police.officer", "police.head"}
    story.pass_time(days=8)  # past the due day
    assert told(session, "report.overdue", report) == {
        "police.officer",
        "police.head",
        "caseworker",
    }
    story.pass_time(days=1)
    story.pass_time(days=3)
    queue = session.exec(
        select(Escalation).where(Escalation.instance_id == report.instance_id)
    ).all()
    assert len(queue) == 1
    listed = story.client.get("/api/v1/escalations", headers=story.auth("supervisor"))
    about = [e for e in listed.json() if (e["about"] or {}).get("url") == f"{PAGE}/{report.id}"]
    assert len(about) == 1, listed.json()
    assert about[0]["process"] == "agency_report"


def test_the_agency_submits_in_time_and_the_caseworker_accepts(
    story,
    session,
    opened,
    client,
    browser_for,
):
    report = police_report(session, opened)
    officer = user(session, "td.police.officer")
    page = client.get(f"{PAGE}/{report.id}", headers=browser_for(officer))
    assert page.status_code == 200
    assert "Nộp báo cáo" in page.text
    sent = client.post(
        f"{PAGE}/{report.id}",
        data={"action": "nop", "version": report.version, "protection": "Xác minh 3 vụ việc."},
        files={"attachment": ("bien-ban.pdf", b"%PDF-1.4 test", "application/pdf")},
        headers=browser_for(officer),
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    session.expire_all()
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == report.instance_id))
    assert clock.status == DeadlineStatus.met
    assert session.get(WorkflowInstance, report.instance_id).state == "submitted"
    stored = session.get(PeriodicReport, report.id)
    assert stored.sections == {"protection": "Xác minh 3 vụ việc."}
    assert stored.figures["tasks_given"] == 0
    assert stored.attachment == b"%PDF-1.4 test"
    other = user(session, "td.health_station.officer")
    assert client.get(f"{PAGE}/{report.id}", headers=browser_for(other)).status_code == 404
    caseworker = user(session, "td.caseworker")
    accepted = client.post(
        f"{PAGE}/{report.id}",
        data={"action": "tiep-nhan", "version": stored.version},
        headers=browser_for(caseworker),
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    session.expire_all()
    instance = session.get(WorkflowInstance, report.instance_id)
    assert (instance.state, instance.closed_at is not None) == ("accepted", True)


def test_a_page_opened_before_someone_else_changed_the_report_saves_nothing(
    story,
    session,
    opened,
    client,
    browser_for,
):
    report = police_report(session, opened)
    officer = user(session, "td.police.officer")
    stale = report.version
    first = client.post(
        f"{PAGE}/{report.id}",
        data={"action": "nop", "version": stale, "protection": "Lần một"},
        headers=browser_for(officer),
        follow_redirects=False,
    )
    assert first.status_code == 303
    caseworker = user(session, "td.caseworker")
    again = client.post(
        f"{PAGE}/{report.id}",
        data={"action": "tra-lai", "version": stale, "reason": "Thiếu số liệu"},
        headers=browser_for(caseworker),
    )
    assert again.status_code == 409
    assert "vừa được người khác thay đổi" in again.text
    session.expire_all()
    assert session.get(PeriodicReport, report.id).returned_reason is None


def test_the_commune_report_is_consolidated_approved_and_recorded_as_sent(
    story,
    session,
    client,
    browser_for,
    databases,
):
    story.clock.set(datetime(2026, 4, 20, 2, tzinfo=UTC))  # after 15 April: the commune's opens
    report_job(story.factory, databases.settings, story.clock)()
    found = reports(session)
    police = police_report(session, found)
    officer = user(session, "td.police.officer")
    client.post(
        f"{PAGE}/{police.id}",
        data={"action": "nop", "version": police.version, "protection": "Xác minh 3 vụ việc."},
        headers=browser_for(officer),
    )
    commune = next(r for r in found if r.obligation == "commune_h1")
    caseworker, supervisor = user(session, "td.caseworker"), user(session, "td.supervisor")
    draft = client.get(f"{PAGE}/{commune.id}", headers=browser_for(caseworker)).text
    assert "police: Xác minh 3 vụ việc." in draft  # the agency's words under its heading
    assert client.get(f"{PAGE}/{commune.id}", headers=browser_for(officer)).status_code == 404

    def step(who, action, **data):
        session.expire_all()
        version = session.get(PeriodicReport, commune.id).version
        response = client.post(
            f"{PAGE}/{commune.id}",
            data={"action": action, "version": version, **data},
            headers=browser_for(who),
            follow_redirects=False,
        )
        return response

    assert step(caseworker, "trinh", protection="Đã xác minh 3 vụ việc.").status_code == 303
    assert step(caseworker, "phe-duyet").status_code == 403  # only the supervisor approves
    assert step(supervisor, "phe-duyet").status_code == 303
    refused = step(caseworker, "gui", note="")
    assert refused.status_code == 422
    assert "Nhập số văn bản" in refused.text
    assert step(caseworker, "gui", note="Công văn số 12/BC-UBND").status_code == 303
    session.expire_all()
    sent = session.get(PeriodicReport, commune.id)
    assert (sent.sent_by_id, sent.sent_note) == (caseworker.id, "Công văn số 12/BC-UBND")
    assert sent.approved_by_id == supervisor.id
    assert sent.figures["abused_children"]["value"] == 0
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == sent.instance_id))
    assert clock.status == DeadlineStatus.met
    word = client.get(f"{PAGE}/{commune.id}/van-ban.docx", headers=browser_for(caseworker))
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Đã xác minh 3 vụ việc." in text
    assert "Sở Y tế" in text  # to whom, and the distribution scope


def test_a_child_sexually_abused_owes_the_supervisor_an_ad_hoc_report_within_a_day(
    story,
    session,
):
    code = story.intake(harm_forms=["sexual_abuse", "violence"])
    [report] = reports(session)
    assert (report.kind, report.cause, report.case_id is not None) == (
        "adhoc",
        "sexual_abuse",
        True,
    )
    assert code in report.title
    assert "Hoa" not in report.title
    [clock] = session.exec(select(Deadline).where(Deadline.instance_id == report.instance_id))
    assert (clock.due_at - clock.starts_at).total_seconds() == 24 * 3600
    story.intake(harm_forms=["sexual_abuse"], first_received_at="2026-03-02T08:30:00+07:00")
    assert len(reports(session)) == 1  # the same case: one report
    story.pass_time(hours=25)
    queued = session.execute(
        sa.select(sa.func.count()).where(Escalation.instance_id == report.instance_id)
    ).scalar_one()
    assert queued == 1
    assert told(session, "report.overdue", report) == {"supervisor", "caseworker"}
    contexts = session.exec(
        select(OutboxMessage.context).where(OutboxMessage.subject_ref == f"report:{report.id}")
    ).all()
    assert contexts
    assert all(c["report_title"] == "Báo cáo đột xuất" for c in contexts)  # no harm, no case
