"""No message that leaves the system names the child, the family, the address, the school,
the reporter or what happened (Luật Trẻ em Đ6, NĐ 56/2017 Đ33).

A case is seeded with every protected value, lived through the workflow until every kind of
message has been queued for it (emergency, tasks, an owner, a decline, every ladder step, a
plan whose free-text activity names the child, the queue, a dead message, the digest, a
village review of the child's village late all the way to the queue), read
by agencies shown the facts their tasks need (what happened, where, the child's state), and
each message is rendered in every language, as e-mail (subject, text, HTML) and as SMS. A
protected value must not appear anywhere, not even with its diacritics stripped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from casework import text
from casework.accounts import activation
from casework.accounts.models import Role, User
from casework.agencies.models import Agency
from casework.children.models import Child, ChildCircumstance
from casework.communes.models import Village
from casework.messaging import tasks as messaging_tasks
from casework.messaging import words
from casework.registry.review.tasks import review_job
from casework.reports.obligations import open_obligation
from casework.reports.schedule import defaults as reporting_calendar
from tests.casework.messaging.conftest import outbox, set_people
from tests.factories.communes import SCHOOL
from tests.factories.events import emergency_measures, mau_02

CHILD = "Nguyễn Thị Hoa"
CAREGIVERS = ("Nguyễn Văn Bình", "Lương Thị Thắm")
REPORTER = ("Lò Văn Tính", "0912 345 678")
DESCRIPTION = "Hàng xóm nghe tiếng trẻ khóc, thấy vết bầm trên tay trẻ."
CHILD_STATE = "Trẻ sợ hãi, có vết bầm ở cánh tay trái."
LOCATION = "Nhà riêng, xóm Nà Pàn"
ADDRESS = "Số 12, ngõ 3, đường Bờ Hồ"
VILLAGE = "Thôn Bản Chắt"
PLAN_TITLE = f"Đưa em {CHILD} đến Trạm y tế khám định kỳ"

PROTECTED = (
    CHILD,
    *CAREGIVERS,
    REPORTER[0],
    REPORTER[1],
    "0912345678",
    "+84912345678",
    DESCRIPTION,
    CHILD_STATE,
    LOCATION,
    ADDRESS,
    VILLAGE,
    SCHOOL,
    "2016-05-14",
    "14/05/2016",
    PLAN_TITLE,
)


def seeded_case(story, agencies) -> str:
    code = story.intake(
        perpetrator_relation="parent",  # an emergency: every emergency message too
        harm_forms=["sexual_abuse", "violence"],
        reporter={"name": REPORTER[0], "phone": REPORTER[1], "relation": "hàng xóm"},
        description=DESCRIPTION,
        child_state=CHILD_STATE,
        location=LOCATION,
        child={
            "full_name": CHILD,
            "date_of_birth": "2016-05-14",
            "sex": "female",
            "ethnicity": "Tày",
            "village": VILLAGE,
            "address": ADDRESS,
            "school_name": SCHOOL,
            "grade": "4A",
            "caregivers": [
                {"full_name": CAREGIVERS[0], "relation": "bố", "phone": "0987 654 321"},
                {"full_name": CAREGIVERS[1], "relation": "bà nội"},
            ],
        },
    )
    story.assign(code, "caseworker")  # the new owner is told
    case = story.case(code)
    justice = next(t for t in case["tasks"] if t["agency_kind"] == "justice")
    story.task_action(justice["id"], "decline", as_="justice.officer", reason=f"{CHILD} đã chuyển")
    for _ in range(13):  # hour by hour: every step of every ladder, then the queue
        story.pass_time(hours=1)
    story.fire(code, "start_assessment")
    story.fire(
        code, "complete_assessment", **mau_02(risk_level="high", emergency=True, substantiated=True)
    )
    story.fire(
        code, "record_emergency_measures", **emergency_measures(note=f"Đưa {CHILD} về nhà bà nội")
    )
    story.fire(
        code,
        "submit_plan",
        tasks=[
            {
                "agency_id": agencies["health_station"],
                "title": PLAN_TITLE,
                "starts_at": "2026-03-04T08:00:00+07:00",
                "due_at": "2026-03-12T17:00:00+07:00",
            }
        ],
        conference_minutes=f"Họp về {CHILD}",
    )
    story.fire(code, "approve_plan", as_="supervisor")
    return code


def lapsed_review(story, session) -> None:
    """The child's village reviews her (she is on the register) and is late all the way to
    the supervisor's queue: every message of the village review is queued too."""
    child = session.execute(sa.select(Child).where(Child.name_key == text.fold(CHILD))).scalar_one()
    session.add(ChildCircumstance(child_id=child.id, group="i", since=date(2026, 3, 2)))
    village = session.get(Village, child.village_id)
    board = Agency(
        commune_id=child.commune_id, kind="village", name="Ban điều hành", village_id=village.id
    )
    session.add(board)
    session.flush()
    session.add(
        User(
            commune_id=child.commune_id,
            agency_id=board.id,
            username="td.truongthon",
            full_name="Trưởng thôn",
            role=Role.agency_head,
            phone="+84912000127",
            created_at=story.clock.now(),
        )
    )
    session.commit()
    review_job(story.factory, story.settings, story.clock)()
    story.pass_time(days=4)  # half-way: the reminder
    story.pass_time(days=6)  # overdue, then the queue


def lapsed_report(story, session) -> None:
    """The agencies' first-half report opens now and the police never send theirs: its
    reminder, warning and overdue notice go to the police and the caseworker."""
    line = next(entry for entry in reporting_calendar() if entry.key == "agencies_h1")
    commune = session.exec(sa.select(Village.commune_id).limit(1)).scalar_one()
    with story.factory() as fresh:
        open_obligation(fresh, commune_id=commune, obligation=line, year=2026,
                        now=story.clock.now(), tz=story.settings.tz)  # fmt: skip
        fresh.commit()
    for days in (40, 15, 20):  # past half, three quarters, then the due day
        story.pass_time(days=days)


def new_account(story, session) -> None:
    """An account created without a password: its activation link goes out (and a reset
    link, as for someone who forgot their password)."""
    commune = session.exec(sa.select(Village.commune_id).limit(1)).scalar_one()
    user = User(commune_id=commune, username="td.moi", full_name="Lục Văn Mới",
                role=Role.caseworker, email="moi@example.org", phone="+84912000128",
                created_at=story.clock.now())  # fmt: skip
    session.add(user)
    session.flush()
    for kind in (activation.KIND, activation.RESET):
        activation.issue(session, user=user, settings=story.settings, now=story.clock.now(),
                         by=None, kind=kind)  # fmt: skip
    session.commit()


def folded(value: str) -> str:
    return text.fold(value)


def morning_digest(story, settings) -> None:
    story.clock.set(datetime(2026, 3, 3, 0, 45, tzinfo=UTC))  # Tuesday 07:45 in Hà Nội
    messaging_tasks.send_digest(story.factory, now=story.clock.now(), tz=settings.tz)


def test_no_message_of_any_kind_names_what_is_protected(story, session, agencies, settings, relay):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "both"}})
    set_people(session, {"health_station.head": {"email": None, "phone": None}})  # will die
    code = seeded_case(story, agencies)
    for reader in ("police.officer", "health_station.officer", "womens_union.officer"):
        shown = story.case(code, as_=reader)  # the facts of its tasks: on a page, never sent
        assert shown["facts"], reader
    morning_digest(story, settings)
    lapsed_review(story, session)
    new_account(story, session)
    lapsed_report(story, session)
    while relay().run_once().claimed:
        pass

    messages = outbox(session)
    assert {m.state for m in messages} == {"sent", "dead"}
    kinds = {m.kind for m in messages}
    assert kinds >= set(words.SMS_KINDS), set(words.SMS_KINDS) - kinds
    assert any(m.subject_ref == f"case:{code}" for m in messages)

    renderer = messaging_tasks.renderer(settings)
    forbidden = {folded(value): value for value in PROTECTED}
    checked = 0
    for message in messages:
        stored = folded(str(message.context))
        for language in ("vi", "en"):
            email = renderer.email(kind=message.kind, language=language, context=message.context)
            sms = renderer.sms(kind=message.kind, language=language, context=message.context)
            for part in (stored, email.subject, email.text, email.html, sms.text):
                words_out = folded(part or "")
                leaked = [v for key, v in forbidden.items() if key in words_out]
                assert leaked == [], f"{message.kind} ({language}) names {leaked}: {part}"
                checked += 1
    assert checked > 100


def test_every_sms_fits_the_budget_of_its_kind(story, session, agencies, settings):
    seeded_case(story, agencies)
    lapsed_review(story, session)
    morning_digest(story, settings)
    new_account(story, session)
    lapsed_report(story, session)
    renderer = messaging_tasks.renderer(settings)
    seen = set()
    for message in outbox(session):
        for language in ("vi", "en"):
            sms = renderer.sms(kind=message.kind, language=language, context=message.context)
            assert not sms.over_budget, (message.kind, language, sms.size, sms.text)
            assert sms.size.encoding == "GSM-7", sms.text  # sent without diacritics
        seen.add(message.kind)
    assert seen == set(words.SMS_KINDS)
