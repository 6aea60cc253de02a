"""Every choice has its own words, even when two enums share a value ("school")."""

from __future__ import annotations

import casework.app  # noqa: F401  (every feature registers its labels on import)
from casework.base import label, unlabelled
from casework.cases.models import CaseStatus, ProtectionLevel, TaskStatus
from casework.children.models import DisabilityLevel, PovertyStatus
from casework.escalations.models import EscalationStatus
from casework.intake.models import Channel, Setting


def test_every_member_of_a_labelled_enum_has_its_own_label():
    assert unlabelled() == []


def test_equal_values_of_two_enums_keep_their_own_words():
    assert (label(Channel.school), label(Setting.school)) == ("Nhà trường", "Trường học")
    assert (label(Channel.online), label(Setting.online)) == ("Trực tuyến", "Môi trường mạng")
    assert label(CaseStatus.intervention) == "Thực hiện kế hoạch"
    assert label(ProtectionLevel.intervention) == "Can thiệp"
    assert label(DisabilityLevel.none) == "Không khuyết tật"
    assert label(PovertyStatus.none, "en") == "Neither"
    assert (label(TaskStatus.open), label(EscalationStatus.open)) == ("Chưa nhận", "Chưa ai nhận")
