"""The demo commune's reporting: its children per village, sex and age group, this year
and last (about 3,300, as a commune of 9 villages in Lạng Sơn has), so `make run` shows
shares and rates per 100,000 children; and this year's reports owed, sent and late."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.accounts.models import Role
from casework.actors import Actor
from casework.agencies.models import Agency, AgencyKind
from casework.children.models import Sex
from casework.communes.models import Village
from casework.reports import obligations, steps
from casework.reports.indicators import AGE_GROUPS
from casework.reports.models import ChildPopulation, ReportKind
from casework.reports.schedule import for_commune
from casework.timefmt import local_date

# Boys of each age group in the first village; others vary around it, girls a little fewer.
BASE = {"0-5": 58, "6-10": 54, "11-15": 49}


def seed_population(session: Session, *, commune_id: int, year: int, now: datetime) -> int:
    """The figures of ``year`` and the year before; the children they add up to."""
    villages = session.exec(
        select(Village.id).where(Village.commune_id == commune_id).order_by(Village.id)
    ).all()
    total = 0
    for shift, figure_year in ((0, year), (1, year - 1)):
        for n, village_id in enumerate(villages):
            for sex in Sex:
                for group in AGE_GROUPS:
                    children = BASE[group.key] + 7 * (n % 4) - 3 * shift
                    children -= 4 if sex == Sex.female else 0
                    total += children if shift == 0 else 0
                    session.add(
                        ChildPopulation(
                            commune_id=commune_id,
                            village_id=village_id,
                            year=figure_year,
                            sex=sex,
                            age_group=group.key,
                            children=children,
                            recorded_at=now,
                        )
                    )
    session.flush()
    return total


# What each agency writes in its demo report, under the outline's "protection" heading.
WORDS = {
    AgencyKind.police: "Xác minh các vụ việc được giao; phối hợp bảo vệ an toàn cho trẻ.",
    AgencyKind.health_station: "Khám, chăm sóc y tế cho trẻ bị tổn hại; tư vấn tâm lý ban đầu.",
    AgencyKind.justice: "Tuyên truyền pháp luật về trẻ em tại các thôn; trợ giúp pháp lý.",
    AgencyKind.school: "Lồng ghép giáo dục kỹ năng tự bảo vệ; theo dõi học sinh có nguy cơ.",
    AgencyKind.youth_union: "Tổ chức sinh hoạt hè an toàn cho thiếu nhi.",
    AgencyKind.red_cross: "Trao quà cho trẻ em có hoàn cảnh đặc biệt.",
    AgencyKind.public_service_center: "Hướng dẫn hồ sơ trợ cấp xã hội cho trẻ.",
}
LATE = (AgencyKind.womens_union, AgencyKind.economic_office)  # this year's report not sent


def seed_reports(session: Session, *, commune_id: int, now: datetime, tz: ZoneInfo) -> int:
    """This year's reports as a commune would have them by ``now``: every obligation opened
    on its day; the first half's sent, accepted and reported up in time; the year's sent by
    most agencies, the women's union's and the economic office's late (their ladders run
    to the supervisor's queue when the demo's timers fire), the commune's own being drafted.
    Returns how many reports there are."""
    today = local_date(now, tz)
    officer = Actor(user_id=None, role=Role.caseworker, commune_id=commune_id)
    boss = Actor(user_id=None, role=Role.supervisor, commune_id=commune_id)
    agencies = {
        a.id: a.kind for a in session.exec(select(Agency).where(Agency.commune_id == commune_id))
    }
    count = 0
    for obligation in for_commune(session, commune_id=commune_id):
        opens = obligation.opens_on(today.year)
        if opens > today:
            continue
        at = datetime.combine(opens, time(8, 0), tzinfo=tz).astimezone(UTC)
        found = obligations.open_obligation(
            session, commune_id=commune_id, obligation=obligation, year=today.year, now=at, tz=tz
        )
        count += len(found)
        first_half = obligation.period == "H1"
        sent_on = at + timedelta(days=obligation.lead_days // 2)
        for report in found:
            if report.kind == ReportKind.agency:
                kind = agencies[report.agency_id]
                if not first_half and kind in LATE:
                    continue
                agency = Actor(user_id=None, role=Role.agency_officer, commune_id=commune_id,
                               agency_id=report.agency_id)  # fmt: skip
                words = {"protection": WORDS.get(kind, "Phối hợp thực hiện công tác trẻ em.")}
                steps.submit(session, agency, report=report, version=report.version,
                             sections=words, attachment=None, now=sent_on, tz=tz)  # fmt: skip
                if first_half:
                    steps.accept(session, officer, report=report, version=report.version,
                                 now=sent_on + timedelta(days=1), tz=tz)  # fmt: skip
            elif first_half:
                draft = steps.gathered(session, report)
                later = sent_on + timedelta(days=3)
                steps.submit_for_approval(session, officer, report=report, version=report.version,
                                          sections=draft, now=later, tz=tz)  # fmt: skip
                steps.approve(session, boss, report=report, version=report.version,
                              now=later + timedelta(days=1), tz=tz)  # fmt: skip
                steps.send(session, officer, report=report, version=report.version,
                           note="Báo cáo số 45/BC-UBND, gửi qua hệ thống văn bản điện tử",
                           sections=None, now=later + timedelta(days=2), tz=tz)  # fmt: skip
    session.flush()
    return count
