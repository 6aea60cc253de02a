"""Choice labels: two enums sharing a value keep their own words."""

from __future__ import annotations

from casework.base import label
from casework.cases.models import TaskStatus
from casework.deadlines.models import DeadlineStatus
from casework.escalations.models import EscalationStatus


def test_a_task_that_is_open_is_not_an_escalation_that_is_open():
    assert label(TaskStatus.open) == "Chưa nhận"
    assert label(TaskStatus.open, "en") == "Not yet accepted"
    assert label(EscalationStatus.open) == "Chưa ai nhận"
    assert label(TaskStatus.cancelled) == "Đã hủy"
    assert label(DeadlineStatus.cancelled) == "Không còn áp dụng"


def test_a_value_that_is_no_choice_comes_back_as_it_is():
    assert label("agency_officer") == "agency_officer"  # type: ignore[arg-type]
