"""Every choice shows its own words: members of different enums that share a value
(Channel.online and Setting.online, TaskStatus.open and EscalationStatus.open) keep
their own labels."""

from __future__ import annotations

import casework.app  # noqa: F401  (every feature registers its labels on import)
from casework.base import _LABELS, label
from casework.cases.models import CaseStatus, ProtectionLevel, TaskStatus
from casework.children.models import DisabilityLevel, PovertyStatus
from casework.escalations.models import EscalationStatus
from casework.intake.models import Channel, Setting


def test_every_member_of_a_labelled_enum_has_its_own_label():
    enums = {kind for kind, _ in _LABELS}
    unlabelled = [f"{e.__name__}.{m.name}" for e in enums for m in e if (e, m.value) not in _LABELS]
    assert unlabelled == []


def test_members_sharing_a_value_keep_their_own_words():
    assert label(Channel.online) == "Trực tuyến"
    assert label(Setting.online) == "Môi trường mạng"
    assert label(TaskStatus.open) == "Chưa nhận"
    assert label(EscalationStatus.open) == "Chưa ai nhận"
    assert label(CaseStatus.intervention) == "Thực hiện kế hoạch"
    assert label(ProtectionLevel.intervention) == "Can thiệp"
    assert label(DisabilityLevel.none) == "Không khuyết tật"
    assert label(PovertyStatus.none, "en") == "Neither"
