"""Working days as NĐ56 counts them (5 working days to draft a plan, 2 to approve it)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from workflows.calendar import WorkingCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkingCalendar(HCM)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=HCM)


def test_five_working_days_from_a_monday_end_on_monday_night():
    # Mon 2 Mar 2026 → Tue, Wed, Thu, Fri, (weekend), Mon 9 Mar.
    assert CAL.add_working_days(local(2026, 3, 2, 9, 0), 5) == local(2026, 3, 9, 23, 59, 59)


def test_counting_starts_the_day_after_even_late_at_night():
    assert CAL.add_working_days(local(2026, 3, 2, 23, 50), 1) == local(2026, 3, 3, 23, 59, 59)


def test_a_report_on_saturday_starts_counting_on_monday():
    assert CAL.add_working_days(local(2026, 3, 7, 10, 0), 1) == local(2026, 3, 9, 23, 59, 59)


def test_plan_deadline_skips_tet_and_the_weekend():
    # Thu 12 Feb 2026: Fri 13 (1), weekend, Mon 16 – Fri 20 Tết (Giao thừa to mùng 4),
    # weekend, Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert CAL.add_working_days(local(2026, 2, 12, 15, 0), 5) == local(2026, 2, 26, 23, 59, 59)


def test_approval_deadline_skips_hung_kings_day_and_its_substitute_day_off():
    # Fri 24 Apr 2026: weekend (Giỗ Tổ on Sun 26, nghỉ bù Mon 27), Tue 28 (1), Wed 29 (2).
    assert CAL.add_working_days(local(2026, 4, 24, 9, 0), 2) == local(2026, 4, 29, 23, 59, 59)


def test_declared_make_up_saturday_counts_as_a_working_day():
    # Sat 22 Aug 2026 is worked in exchange for Mon 31 Aug (holidays' weekend_workdays).
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert CAL.add_working_days(local(2026, 8, 21, 9, 0), 1) == local(2026, 8, 22, 23, 59, 59)


def test_commune_extra_day_off_is_skipped():
    calendar = WorkingCalendar(HCM, extra_days_off={date(2026, 3, 3)})
    assert calendar.add_working_days(local(2026, 3, 2, 9, 0), 1) == local(2026, 3, 4, 23, 59, 59)


def test_a_saturday_the_commune_declares_worked_is_counted_and_the_nation_still_rests():
    calendar = WorkingCalendar(HCM, extra_working_days={date(2026, 3, 7)})
    assert calendar.add_working_days(local(2026, 3, 6, 9, 0), 1) == local(2026, 3, 7, 23, 59, 59)
    assert not calendar.is_national_working_day(date(2026, 3, 7))


def test_holidays_have_vietnamese_names():
    assert CAL.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_deadline_is_shown_with_the_local_offset():
    due = CAL.add_working_days(local(2026, 3, 2, 9, 0), 5)
    assert due.isoformat() == "2026-03-09T23:59:59+07:00"


def test_working_days_between_counts_like_the_deadline():
    start = local(2026, 2, 12, 15, 0)
    assert CAL.working_days_between(start, CAL.add_working_days(start, 5)) == 5
