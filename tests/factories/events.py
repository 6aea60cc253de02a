"""The payloads of the legal steps that cannot be recorded empty, as a client sends them:
Mẫu 02 with its questions and conclusion, and the emergency measures with who and when."""

from __future__ import annotations

from typing import Any


def mau_02(
    *, risk_level: str = "medium", emergency: bool = False, substantiated: bool = True, **extra
) -> dict[str, Any]:
    """An initial assessment (complete_assessment) whose answers agree with its conclusion."""
    return {
        "harm_found": "Trẻ bị bố đánh bằng roi tre tối 01/03, có vết bầm ở tay và lưng.",
        "child_safe_now": "no" if emergency else "yes",
        "perpetrator_has_access": "yes" if emergency else "no",
        "injuries": "Vết bầm ở cánh tay trái và lưng, không gãy xương.",
        "caregiver_can_protect": "no" if emergency else "yes",
        "risk_level": risk_level,
        "emergency": emergency,
        "substantiated": substantiated,
    } | extra


def emergency_measures(at: str = "2026-03-02T08:45:00+07:00", **extra) -> dict[str, Any]:
    """The emergency measures (record_emergency_measures): a safe place and the police."""
    return {
        "measures": [
            {"kind": "safe_place", "by": "Phòng Văn hóa - Xã hội", "at": at,
             "description": "Đưa trẻ về nhà bà ngoại"},
            {"kind": "police_report", "by": "Công an xã", "at": at},
        ],
    } | extra  # fmt: skip
