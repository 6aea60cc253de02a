"""A valid intake payload (JSON, as an integrator sends it) with overridable parts."""

from __future__ import annotations

import copy
from typing import Any


def intake_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "commune_code": "TD-TEST",
        "channel": "hotline_111",
        "first_received_at": "2026-03-02T08:15:00+07:00",
        "reporter": {"name": "Lò Văn Tính", "phone": "0912 345 678", "relation": "hàng xóm"},
        "child": {
            "full_name": "Nguyễn Thị Hoa",
            "date_of_birth": "2016-05-14",
            "sex": "female",
            "ethnicity": "Tày",
            "village": "Thôn Đồng Tâm",
            "caregivers": [{"full_name": "Nguyễn Văn Bình", "relation": "bố"}],
        },
        "location": "Nhà riêng, Thôn Đồng Tâm",
        "description": "Hàng xóm nghe tiếng trẻ khóc, thấy vết bầm trên tay trẻ.",
        "harm_forms": ["violence"],
        "setting": "family",
        "perpetrator_relation": "relative",
        "immediate_danger": False,
    }
    payload = copy.deepcopy(payload)
    for key, value in overrides.items():
        if "." in key:
            outer, inner = key.split(".", 1)
            if value is _DELETE:
                payload[outer].pop(inner, None)
            else:
                payload[outer][inner] = value
        elif value is _DELETE:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


_DELETE = object()
DELETE: Any = _DELETE
