"""The agencies of the commune's inter-agency coordination body (DOMAIN.md §1)."""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Field, SQLModel

from casework.base import choice_field, register_labels


class AgencyKind(StrEnum):
    culture_social = "culture_social"
    police = "police"
    health_station = "health_station"
    school = "school"
    justice = "justice"
    womens_union = "womens_union"
    youth_union = "youth_union"
    red_cross = "red_cross"
    village = "village"
    economic_office = "economic_office"
    public_service_center = "public_service_center"
    provincial_health_department = "provincial_health_department"
    hotline_111 = "hotline_111"
    provincial_social_work_center = "provincial_social_work_center"
    court = "court"


UPSTREAM_KINDS = frozenset(
    {
        AgencyKind.provincial_health_department,
        AgencyKind.hotline_111,
        AgencyKind.provincial_social_work_center,
        AgencyKind.court,
    }
)

register_labels(
    {
        AgencyKind.culture_social: ("Phòng Văn hóa - Xã hội", "Culture and social office"),
        AgencyKind.police: ("Công an xã", "Commune police"),
        AgencyKind.health_station: ("Trạm y tế xã", "Commune health station"),
        AgencyKind.school: ("Trường học", "School"),
        AgencyKind.justice: ("Tư pháp - Hộ tịch", "Justice and civil status"),
        AgencyKind.womens_union: ("Hội Liên hiệp Phụ nữ", "Women's union"),
        AgencyKind.youth_union: ("Đoàn Thanh niên", "Youth union"),
        AgencyKind.red_cross: ("Hội Chữ thập đỏ", "Red Cross"),
        AgencyKind.village: ("Trưởng thôn", "Village head"),
        AgencyKind.economic_office: ("Phòng Kinh tế", "Economic office"),
        AgencyKind.public_service_center: (
            "Trung tâm dịch vụ công ích",
            "Public service centre",
        ),
        AgencyKind.provincial_health_department: ("Sở Y tế", "Provincial health department"),
        AgencyKind.hotline_111: ("Tổng đài 111", "National hotline 111"),
        AgencyKind.provincial_social_work_center: (
            "Trung tâm công tác xã hội tỉnh",
            "Provincial social work centre",
        ),
        AgencyKind.court: ("Tòa án", "Court"),
    }
)


class Agency(SQLModel, table=True):
    """An agency tasks are routed to. Its head is the member whose role is agency_head."""

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    kind: AgencyKind = choice_field(AgencyKind, index=True)
    name: str = Field(max_length=200)
    village_id: int | None = Field(
        default=None, foreign_key="village.id", description="For a village head's board"
    )
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20, description="E.164")
    is_active: bool = True
