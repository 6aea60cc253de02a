"""A report received about a child (tiếp nhận thông tin, Mẫu 01)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from casework.base import D24, choice_field, register_labels, sensitive
from casework.crypto import EncryptedText


class Channel(StrEnum):
    hotline_111 = "hotline_111"
    provincial_hotline = "provincial_hotline"
    walk_in = "walk_in"
    phone = "phone"
    village_head = "village_head"
    school = "school"
    health_station = "health_station"
    police = "police"
    collaborator = "collaborator"
    online = "online"


class HarmForm(StrEnum):
    violence = "violence"
    exploitation = "exploitation"
    sexual_abuse = "sexual_abuse"
    trafficking = "trafficking"
    abandonment_neglect = "abandonment_neglect"
    injury_drowning = "injury_drowning"
    child_marriage = "child_marriage"
    online_abuse = "online_abuse"
    dropout_risk = "dropout_risk"
    other = "other"


class Setting(StrEnum):
    family = "family"
    school = "school"
    community = "community"
    online = "online"
    workplace = "workplace"
    other = "other"


class PerpetratorRelation(StrEnum):
    parent = "parent"
    step_parent = "step_parent"
    caregiver = "caregiver"
    relative = "relative"
    teacher = "teacher"
    peer = "peer"
    stranger = "stranger"
    unknown = "unknown"


register_labels(
    {
        Channel.hotline_111: ("Tổng đài 111", "National hotline 111"),
        Channel.provincial_hotline: ("Đường dây nóng của tỉnh", "Provincial hotline"),
        Channel.walk_in: ("Trực tiếp tại UBND xã", "Walk-in"),
        Channel.phone: ("Điện thoại", "Phone"),
        Channel.village_head: ("Trưởng thôn", "Village head"),
        Channel.school: ("Nhà trường", "School"),
        Channel.health_station: ("Trạm y tế", "Health station"),
        Channel.police: ("Công an", "Police"),
        Channel.collaborator: ("Cộng tác viên", "Collaborator"),
        Channel.online: ("Trực tuyến", "Online form"),
        HarmForm.violence: ("Bạo lực", "Violence"),
        HarmForm.exploitation: ("Bóc lột", "Exploitation"),
        HarmForm.sexual_abuse: ("Xâm hại tình dục", "Sexual abuse"),
        HarmForm.trafficking: ("Mua bán", "Trafficking"),
        HarmForm.abandonment_neglect: ("Bỏ rơi, bỏ mặc", "Abandonment or neglect"),
        HarmForm.injury_drowning: ("Tai nạn thương tích, đuối nước", "Injury or drowning"),
        HarmForm.child_marriage: ("Tảo hôn", "Child marriage"),
        HarmForm.online_abuse: ("Xâm hại trên môi trường mạng", "Online abuse"),
        HarmForm.dropout_risk: ("Nguy cơ bỏ học", "Risk of dropping out"),
        HarmForm.other: ("Khác", "Other"),
    }
)
# A separate call: this enum shares values with the one above, and equal members would
# collapse into one key of a single dict literal.
register_labels(
    {
        Setting.family: ("Gia đình", "Family"),
        Setting.school: ("Trường học", "School"),
        Setting.community: ("Cộng đồng", "Community"),
        Setting.online: ("Môi trường mạng", "Online"),
        Setting.workplace: ("Nơi làm việc", "Workplace"),
        Setting.other: ("Khác", "Other"),
        PerpetratorRelation.parent: ("Cha, mẹ", "Parent"),
        PerpetratorRelation.step_parent: ("Cha dượng, mẹ kế", "Step-parent"),
        PerpetratorRelation.caregiver: ("Người chăm sóc", "Caregiver"),
        PerpetratorRelation.relative: ("Người thân", "Relative"),
        PerpetratorRelation.teacher: ("Giáo viên", "Teacher"),
        PerpetratorRelation.peer: ("Bạn bè", "Peer"),
        PerpetratorRelation.stranger: ("Người lạ", "Stranger"),
        PerpetratorRelation.unknown: ("Chưa rõ", "Unknown"),
    }
)


class Report(SQLModel, table=True):
    """One report; the reporter's identity is confidential (NĐ56 Đ24)."""

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    case_id: int = Field(foreign_key="protection_case.id", index=True)
    child_id: int = Field(foreign_key="child.id", index=True)
    channel: Channel = choice_field(Channel)
    first_received_at: datetime = Field(description="Earliest receipt in the chain")
    recorded_at: datetime
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    reporter_anonymous: bool = False
    reporter_name: str | None = sensitive(D24, default=None, max_length=120)
    reporter_phone: str | None = sensitive(D24, default=None, max_length=20, description="E.164")
    reporter_relation: str | None = sensitive(D24, default=None, max_length=60)
    location: str | None = sensitive(default=None, max_length=300)
    description: str = sensitive(sa_type=EncryptedText("report.description"))
    setting: Setting = choice_field(Setting)
    perpetrator_relation: PerpetratorRelation = choice_field(PerpetratorRelation)
    child_state: str | None = sensitive(default=None, sa_type=EncryptedText("report.child_state"))
    immediate_danger: bool
    late_report_confirmed: bool = Field(
        default=False,
        sa_column_kwargs={"server_default": sa.false()},
        description="Received more than CASEWORK_LATE_REPORT_DAYS before it was recorded, "
        "and the recorder confirmed it was passed on late",
    )


class ReportHarmForm(SQLModel, table=True):
    """One form of harm named in a report (a report names one or more)."""

    __tablename__ = "report_harm_form"

    report_id: int = Field(foreign_key="report.id", primary_key=True)
    form: HarmForm = choice_field(HarmForm, primary_key=True)


class IdempotencyRecord(SQLModel, table=True):
    """The answer given to a request carrying an ``Idempotency-Key``, replayed on retry."""

    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=255)
    scope: str = Field(primary_key=True, max_length=64, description="e.g. intakes.create")
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, object] = Field(sa_type=sa.JSON)
    created_at: datetime
