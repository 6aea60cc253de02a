"""The demo commune's places, people, children and cases as plain data; ``seed.py`` walks
them through the real intake and workflow.

Ages and times are relative to the moment of seeding (``days`` / ``hours`` ago), so the
demo always looks current. Every person and phone number is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from casework.accounts.models import Role
from casework.agencies.models import AgencyKind
from casework.cases.models import CaseStatus, RiskLevel, TaskStatus
from casework.children.models import CircumstanceGroup, DisabilityLevel, PovertyStatus, Sex
from casework.intake.models import Channel, HarmForm, PerpetratorRelation, Setting

M, F = Sex.male, Sex.female
G = CircumstanceGroup


@dataclass(frozen=True)
class ChildSpec:
    key: str
    full_name: str
    sex: Sex
    ethnicity: str
    village: str
    age: int
    dob: bool = True  # False: only an estimated birth year is known
    pid: bool = False  # has a personal id (số định danh cá nhân)
    carers: tuple[tuple[str, str, str | None], ...] = ()  # (name, relation, phone)
    groups: tuple[tuple[CircumstanceGroup, str | None, int], ...] = ()  # (group, sub, days ago)
    in_school: bool = True
    likely_same_as: str | None = None  # reported again by someone who knew only the birth year
    disability: DisabilityLevel = DisabilityLevel.none
    poverty: PovertyStatus = PovertyStatus.none


@dataclass(frozen=True)
class TaskSpec:
    """An activity of the case's plan (Mẫu 04) and how far its agency got with it."""

    kind: str  # "<agency>.<activity>": the prefix picks the agency (TASK_AGENCY), TASK_TITLES
    status: TaskStatus  # planned while the plan awaits approval (or was sent back)
    days: float = 7  # time allowed from the start (the chairperson's approval)
    note: str | None = None  # why the agency declined it
    late_hours: float | None = None  # due this long before the seeding: an overdue task
    cost_vnd: int | None = None


@dataclass(frozen=True)
class CaseSpec:
    child: str | ChildSpec  # a key of CHILDREN, or a child first met at this intake
    hours_ago: float  # first receipt in the chain
    channel: Channel
    reporter: tuple[str, str | None, str] | None  # (name, phone, relation); None = anonymous
    location: str
    description: str
    harm: tuple[HarmForm, ...]
    setting: Setting
    perpetrator: PerpetratorRelation
    danger: bool
    status: CaseStatus
    child_state: str | None = None
    risk: RiskLevel | None = None
    support_only: bool = False  # protection level "support" rather than "intervention"
    # The tasks the workflow routes at intake are done on time unless listed here.
    routed: tuple[tuple[str, TaskStatus], ...] = ()
    plan: tuple[TaskSpec, ...] = ()
    closure: str | None = None
    caseworker: str = "canbo.hoa"
    # A later report joining the case: (hours after the first, channel, reporter, description)
    follow_up: tuple[float, Channel, tuple[str, str | None, str], str] | None = None
    separation: str | None = None  # where the chairperson placed the child (Mẫu 07)
    alternative_care: str | None = None  # the arrangement the child was placed in
    rejection: str | None = None  # why the chairperson sent the plan back


# fmt: off
# The seven thôn on the commune's website, plus two invented ones for the 2025 merger.
VILLAGES = ("Thôn Nà Van", "Thôn Khe Cù", "Thôn Thống Nhất", "Thôn Háng Ý", "Thôn Nà Nát",
            "Thôn Khe Pặn Giữa", "Thôn Khe Pặn Ngọn", "Thôn Bản Chắt", "Thôn Nà Pàn")
KINDERGARTEN, PRIMARY, LOWER_SECONDARY = (
    "Trường Mầm non Châu Sơn", "Trường Tiểu học Châu Sơn", "Trường THCS Châu Sơn")
UPPER_SECONDARY = "Trường THPT Đình Lập"  # outside the commune: not one of its agencies
STAFF_SCHOOL = LOWER_SECONDARY  # the school whose focal point is a demo user

AK = AgencyKind
# (kind, name, e-mail local part, phone, village); numbers are fictional but valid.
AGENCIES: tuple[tuple[AgencyKind, str, str | None, str | None, str | None], ...] = (
    (AK.culture_social, "Phòng Văn hóa - Xã hội xã Châu Sơn", "vhxh", "+842053888101", None),
    (AK.police, "Công an xã Châu Sơn", "congan", "+842053888102", None),
    (AK.health_station, "Trạm Y tế xã Châu Sơn", "tramyte", "+842053888103", None),
    (AK.justice, "Văn phòng HĐND và UBND xã (Tư pháp - Hộ tịch)", "tuphap", "+842053888104",
     None),
    (AK.womens_union, "Hội Liên hiệp Phụ nữ xã Châu Sơn", "phunu", "+842053888105", None),
    (AK.youth_union, "Đoàn Thanh niên xã Châu Sơn", "doanthanhnien", "+842053888106", None),
    (AK.red_cross, "Hội Chữ thập đỏ xã Châu Sơn", "chuthapdo", "+842053888107", None),
    (AK.economic_office, "Phòng Kinh tế xã Châu Sơn", "kinhte", "+842053888108", None),
    (AK.public_service_center, "Trung tâm Dịch vụ công ích xã Châu Sơn", "dichvucongich",
     "+842053888109", None),
    (AK.school, KINDERGARTEN, "mamnon", "+842053888111", None),
    (AK.school, PRIMARY, "tieuhoc", "+842053888112", None),
    (AK.school, LOWER_SECONDARY, "thcs", "+842053888113", None),
    (AK.village, "Ban điều hành Thôn Nà Nát", None, "+84912000124", "Thôn Nà Nát"),
    (AK.village, "Ban điều hành Thôn Háng Ý", None, "+84912000122", "Thôn Háng Ý"),
    (AK.village, "Ban điều hành Thôn Khe Pặn Ngọn", None, "+84912000123", "Thôn Khe Pặn Ngọn"),
    (AK.hotline_111, "Tổng đài 111", None, None, None),
    (AK.provincial_health_department, "Sở Y tế tỉnh Lạng Sơn", "soyte", "+842053888000", None),
)
# fmt: on


class DemoUser(NamedTuple):
    username: str
    full_name: str
    role: Role
    agency: AgencyKind | None  # a school user belongs to STAFF_SCHOOL


# User n (from 0) has the phone +84912000(101 + n); reports below quote some of them.
DEMO_USERS: list[DemoUser] = [
    DemoUser("canbo.hoa", "Hoàng Thị Hoa", Role.caseworker, AK.culture_social),
    DemoUser("canbo.tuan", "Lộc Văn Tuấn", Role.caseworker, AK.culture_social),
    DemoUser("pct.lan", "Phạm Thị Lan", Role.supervisor, None),
    DemoUser("yte.mai", "Nông Thị Mai", Role.agency_officer, AK.health_station),
    DemoUser("yte.binh", "Hoàng Văn Bình", Role.agency_head, AK.health_station),
    DemoUser("congan.hung", "Vi Văn Hùng", Role.agency_officer, AK.police),
    DemoUser("congan.thanh", "Lương Văn Thành", Role.agency_head, AK.police),
    DemoUser("truong.huong", "Đặng Thị Hương", Role.agency_officer, AK.school),
    DemoUser("phunu.thuy", "Lăng Thị Thủy", Role.agency_officer, AK.womens_union),
    DemoUser("tuphap.linh", "Chu Thị Linh", Role.agency_officer, AK.justice),
    DemoUser("ctv.nga", "Mông Thị Nga", Role.collaborator, None),
    DemoUser("tinh.quang", "Trần Minh Quang", Role.province_viewer, None),
    DemoUser("kiemtra.dung", "Nguyễn Văn Dũng", Role.auditor, None),
    DemoUser("quantri.son", "Lý Văn Sơn", Role.admin, None),
    # Of the province (Lạng Sơn, 20), of no commune: sets the province's communes up.
    DemoUser("quantri.tinh", "Hoàng Thị Lan", Role.province_admin, None),
]
SUPERVISOR = "pct.lan"

# The agency a task kind's prefix routes to ("police.verify" -> police).
TASK_AGENCY = {
    "police": AK.police, "health": AK.health_station, "social": AK.culture_social,
    "justice": AK.justice, "womens_union": AK.womens_union, "youth_union": AK.youth_union,
    "red_cross": AK.red_cross, "economic": AK.economic_office, "village": AK.village,
    "school": AK.school,
}  # fmt: skip


def _c(key: str, name: str, sex: Sex, eth: str, village: str, age: int, **kw: object) -> ChildSpec:
    return ChildSpec(key, name, sex, eth, f"Thôn {village}", age, **kw)  # type: ignore[arg-type]


# fmt: off
# Tables, one record per entry: kept compact on purpose.
CHILDREN: tuple[ChildSpec, ...] = (
    _c("minh", "Hoàng Văn Minh", M, "Tày", "Nà Van", 9, pid=True,
       carers=(("Nông Thị Hằng", "mẹ", "0912 000 201"), ("Hoàng Văn Tư", "bố", None))),
    _c("thu", "Lương Thị Thu", F, "Tày", "Khe Cù", 13, pid=True,
       carers=(("Lương Văn Chiến", "bố", "0912 000 202"), ("Hà Thị Nhàn", "mẹ", None)),
       groups=((G.l, None, 18),)),
    _c("lan", "Vi Thị Lan", F, "Nùng", "Thống Nhất", 14, pid=True,
       carers=(("Vi Văn Khoa", "bố", "0912 000 203"),)),
    _c("phuc", "Triệu Văn Phúc", M, "Dao", "Háng Ý", 14, dob=False, poverty=PovertyStatus.poor,
       carers=(("Triệu Thị Mùi", "mẹ", "0387 000 204"),)),
    _c("may", "Bàn Thị Mây", F, "Dao", "Khe Pặn Ngọn", 16, pid=True,
       carers=(("Bàn Văn Sinh", "bố", None), ("Đặng Thị Lìu", "mẹ", "0387 000 205"))),
    _c("khanh", "Nông Văn Khánh", M, "Tày", "Nà Nát", 7, pid=True,
       carers=(("Nông Thị Duyên", "mẹ", "0912 000 206"),)),
    _c("ha", "Lộc Thị Hà", F, "Tày", "Khe Pặn Giữa", 11, disability=DisabilityLevel.severe,
       poverty=PovertyStatus.near_poor, carers=(("Lộc Thị Phấn", "bà nội", None),),
       groups=((G.d, "Khuyết tật vận động", 2500),)),
    _c("duc", "Hà Văn Đức", M, "Tày", "Bản Chắt", 12, pid=True,
       carers=(("Hà Thị Liên", "mẹ", "0977 000 208"), ("Lý Văn Cường", "cha dượng", None)),
       groups=((G.i, None, 20),)),
    _c("ngoc", "Chu Thị Ngọc", F, "Nùng", "Nà Pàn", 10, poverty=PovertyStatus.poor,
       carers=(("Chu Thị Hiền", "bà ngoại", "0977 000 209"),),
       groups=((G.a, "Mồ côi cả cha và mẹ, sống cùng bà ngoại", 900),)),
    _c("hai", "Lý Văn Hải", M, "Nùng", "Nà Van", 16, dob=False, in_school=False,
       carers=(("Lý Thị Hoa", "mẹ", "0977 000 210"),), groups=((G.h, None, 200),)),
    _c("hong", "Nguyễn Thị Hồng", F, "Kinh", "Thống Nhất", 8, pid=True,
       carers=(("Trần Thị Loan", "mẹ", "0966 000 211"),)),
    _c("mai", "Hoàng Thị Mai", F, "Tày", "Nà Nát", 6, pid=True,
       carers=(("Hoàng Văn Kiên", "bố", "0966 000 212"),)),
    _c("tung", "Vy Văn Tùng", M, "Nùng", "Khe Cù", 5, carers=(("Vy Thị Sen", "mẹ", None),)),
    _c("yen", "Lăng Thị Yến", F, "Tày", "Háng Ý", 3, poverty=PovertyStatus.poor,
       carers=(("Lăng Văn Hòa", "bố", "0966 000 214"),),
       groups=((G.n, "Bệnh tim bẩm sinh, điều trị dài ngày", 700),)),
    _c("long", "Đặng Văn Long", M, "Dao", "Khe Pặn Ngọn", 12, dob=False,
       carers=(("Đặng Thị Mẩy", "mẹ", None),)),
    _c("huyen", "Mã Thị Huyền", F, "Nùng", "Bản Chắt", 14, pid=True,
       carers=(("Mã Văn Thường", "bố", "0356 000 216"),)),
    _c("khang", "Trần Minh Khang", M, "Kinh", "Thống Nhất", 10, pid=True,
       carers=(("Trần Văn Hùng", "bố", "0356 000 217"), ("Phạm Thị Vân", "mẹ", None))),
    _c("anh", "Phạm Thị Ánh", F, "Kinh", "Nà Van", 1, carers=(("Phạm Thị Thơm", "mẹ", None),)),
    _c("sang", "Hứa Văn Sáng", M, "Tày", "Nà Nát", 17, pid=True, in_school=False,
       carers=(("Hứa Văn Lợi", "bố", "0356 000 219"),)),
    _c("nhung", "Bế Thị Nhung", F, "Tày", "Khe Pặn Giữa", 9, disability=DisabilityLevel.mild,
       carers=(("Bế Văn Toàn", "bố", None),), groups=((G.d, "Khuyết tật nghe, nói", 1800),)),
    _c("dung", "Triệu Thị Dung", F, "Dao", "Háng Ý", 15, dob=False,
       carers=(("Triệu Văn Pao", "bố", None), ("Bàn Thị Nải", "mẹ", "0705 000 221"))),
    _c("bao", "Lương Văn Bảo", M, "Tày", "Nà Pàn", 4, pid=True,
       carers=(("Lương Thị Thắm", "mẹ", None), ("Lương Văn Kình", "ông nội", "0705 000 222"))),
    _c("thao", "Nông Thị Thảo", F, "Tày", "Khe Cù", 2, carers=(("Nông Văn Tài", "bố", None),)),
    _c("quan", "Đinh Văn Quân", M, "Tày", "Bản Chắt", 6, poverty=PovertyStatus.poor,
       carers=(("Đinh Thị Nguyệt", "mẹ", "0705 000 224"),)),
    _c("xuan", "Lý Thị Xuân", F, "Nùng", "Nà Pàn", 13, dob=False, poverty=PovertyStatus.poor,
       carers=(("Lý Văn Nhì", "ông ngoại", None),),
       groups=((G.a, "Mồ côi cả cha và mẹ, sống cùng ông bà ngoại", 1400),)),
    _c("thang", "Chu Văn Thắng", M, "Nùng", "Thống Nhất", 11, pid=True,
       carers=(("Chu Thị Dịu", "mẹ", "0869 000 226"),)),
    _c("hanh", "Vũ Thị Hạnh", F, "Kinh", "Nà Van", 0, carers=(("Vũ Văn Thành", "bố", None),)),
    _c("luc", "Phùn Văn Lực", M, "Dao", "Khe Pặn Ngọn", 8, dob=False,
       carers=(("Phùn Thị Dảo", "mẹ", None),)),
    _c("tien", "Hoàng Văn Tiến", M, "Tày", "Háng Ý", 15, pid=True,
       carers=(("Hoàng Thị Chanh", "mẹ", "0869 000 229"),)),
)

# The same girl as "mai", reported again by a collaborator who knew only her birth year.
MAI_AGAIN = _c("mai_again", "Hoàng Thị Mai", F, "Tày", "Nà Nát", 6, dob=False,
               likely_same_as="mai", carers=(("Hoàng Văn Kiên", "bố", None),))
# Seed 001: an infant left at the gate of the health station; the commune names her later.
FOUNDLING = _c("foundling", "Bé gái sơ sinh chưa rõ tên", F, "Chưa xác định", "Thống Nhất", 0,
               dob=False, in_school=False,
               carers=(("Hà Thị Lệ", "người nhận chăm sóc tạm thời", "0869 000 231"),),
               groups=((G.b, "Trẻ sơ sinh bị bỏ rơi", 0),))

# fmt: on

# The plan's activities (Vietnamese, as the agency sees them).
TASK_TITLES: dict[str, str] = {
    "police.investigate": "Điều tra vụ việc theo thủ tục thân thiện với trẻ em",
    "police.remove_content": "Xác minh tài khoản mạng xã hội, yêu cầu gỡ bỏ hình ảnh của trẻ",
    "police.workplace_check": "Kiểm tra cơ sở, yêu cầu chấm dứt sử dụng lao động trẻ em",
    "health.follow_up": "Theo dõi sức khỏe của trẻ sau tai nạn",
    "health.rehabilitation": "Khám, hướng dẫn phục hồi chức năng tại nhà",
    "social.psychosocial": "Tư vấn tâm lý định kỳ cho trẻ và gia đình",
    "social.benefits": "Lập hồ sơ hưởng trợ cấp xã hội hằng tháng cho trẻ",
    "social.vocational": "Kết nối học nghề, hỗ trợ chi phí học nghề cho trẻ",
    "justice.legal_aid": "Cử trợ giúp viên pháp lý bảo vệ quyền lợi của trẻ khi tố tụng",
    "justice.marriage_law": "Tư vấn Luật Hôn nhân và gia đình, vận động không tảo hôn",
    "womens_union.parenting": "Sinh hoạt nhóm cha mẹ: nuôi dạy con không bạo lực",
    "womens_union.godmother": "Kết nối “mẹ đỡ đầu” cho trẻ",
    "youth_union.peer_support": "Kết nối nhóm bạn đồng hành, sinh hoạt hè an toàn",
    "youth_union.swimming": "Tổ chức lớp dạy bơi, kỹ năng an toàn dưới nước cho trẻ",
    "red_cross.material_support": "Hỗ trợ gạo, quần áo, sách vở cho trẻ",
    "village.home_visit": "Thăm hộ gia đình, theo dõi an toàn của trẻ tại thôn",
    "village.hazard_survey": "Rà soát các điểm nước sâu nguy hiểm trong thôn",
    "school.reintegration": "Vận động trẻ trở lại lớp, phụ đạo kiến thức bị hổng",
    "school.psychosocial": "Hỗ trợ tâm lý, bảo mật thông tin của học sinh tại trường",
    "school.inclusive": "Bố trí giáo dục hòa nhập cho trẻ khuyết tật",
}

# What an agency reports when it completes a task: the kinds the workflow routes at intake
# (see workflows/definitions) and the plan's activities above.
OUTCOMES: dict[str, str] = {
    "police.crime_report": "Đã tiếp nhận tin báo, lấy lời khai ban đầu theo thủ tục thân thiện; "
    "chuyển Công an cấp trên thụ lý.",
    "police.verify": "Đã xác minh, lập biên bản; người vi phạm cam kết chấm dứt hành vi bạo lực.",
    "police.trace_family": "Đã xác minh nhân thân, liên hệ được với người thân của trẻ.",
    "health.examine": "Đã khám, sơ cứu; lập hồ sơ y tế và lưu giữ chứng cứ.",
    "health.initial_care": "Đã khám sàng lọc; sức khỏe của trẻ ổn định.",
    "health.first_aid": "Đã sơ cứu, theo dõi tại trạm; trẻ ổn định, được về nhà.",
    "social.psychosocial": "Đã gặp trẻ và gia đình; trẻ bớt sợ hãi, ăn ngủ bình thường.",
    "social.alternative_care": "Đã bố trí người chăm sóc tạm thời; cán bộ theo dõi hằng ngày.",
    "justice.legal_aid": "Đã tư vấn pháp lý cho gia đình về quyền của trẻ khi tham gia tố tụng.",
    "justice.birth_registration": "Đã rà soát hộ tịch, cập nhật thông tin người giám hộ của trẻ.",
    "school.keep_in_school": "Nhà trường bố trí giáo viên theo dõi, giữ bí mật; trẻ đi học đều.",
    "womens_union.family_support": "Đã đến nhà tư vấn cho gia đình; hội viên theo dõi hằng tuần.",
    "village.fix_hazard": "Thôn đã làm rào tạm và cắm biển cảnh báo tại điểm nguy hiểm.",
    "economic.fix_hazard": "Đã lập dự toán và hoàn thành rào chắn kiên cố.",
    "school.stop_violence": "Đã tách các em, họp phụ huynh; học sinh gây bạo lực cam kết sửa "
    "chữa, giáo viên chủ nhiệm theo dõi hằng ngày.",
    "police.trafficking": "Đã tiếp nhận tin báo, phối hợp Công an tỉnh xác minh; trẻ đã được "
    "đưa về an toàn.",
    "social.victim_support": "Đã bố trí nơi ở an toàn, cán bộ tư vấn tâm lý cho trẻ hằng ngày.",
    "justice.identity_papers": "Đã xác minh nhân thân, cấp lại giấy khai sinh bản sao cho trẻ.",
    "police.stop_exploitation": "Đã kiểm tra nơi làm việc, lập biên bản; trẻ đã thôi việc.",
    "social.exploitation_support": "Đã gặp trẻ và gia đình, kết nối học nghề và trợ giúp xã hội.",
    "justice.prevent_child_marriage": "Đã tư vấn Luật Hôn nhân và gia đình cho hai gia đình.",
    "womens_union.marriage_outreach": "Hội viên đã đến nhà vận động; gia đình hoãn việc cưới.",
    "police.stop_child_marriage": "Đã làm việc với hai gia đình, lập biên bản cam kết không tổ "
    "chức tảo hôn.",
    "police.online_abuse": "Đã xác minh tài khoản, đề nghị nền tảng gỡ bỏ nội dung; nội dung "
    "đã được gỡ.",
    "school.prevent_dropout": "Giáo viên chủ nhiệm đã đến nhà vận động; trẻ đi học lại.",
    "village.home_visit": "Trưởng thôn đã thăm gia đình, sẽ theo dõi hằng tuần.",
    "social.education_support": "Đã rà soát, lập hồ sơ hỗ trợ chi phí học tập cho trẻ.",
    "social.care_support": "Đã đánh giá việc chăm sóc trẻ, kết nối người thân chăm sóc hằng ngày.",
    "social.verify": "Đã xác minh thông tin, đánh giá nguy cơ và kết nối hỗ trợ cho trẻ.",
    "police.remove_content": "Các bài đăng đã được gỡ; phụ huynh học sinh đăng bài cam kết.",
    "police.workplace_check": "Chủ mỏ đá đã cho trẻ thôi việc, bị xử phạt hành chính.",
    "health.follow_up": "Đã tái khám hai lần; trẻ khỏe mạnh, không di chứng.",
    "social.benefits": "Hồ sơ đã được duyệt; trẻ nhận trợ cấp từ tháng sau.",
    "social.vocational": "Trẻ đã nhập học lớp sửa chữa xe máy, được hỗ trợ học phí.",
    "justice.marriage_law": "Gia đình đã trả lại sính lễ, cam kết không tổ chức cưới cho trẻ.",
    "womens_union.parenting": "Cha mẹ tham gia đủ 4 buổi sinh hoạt nhóm.",
    "womens_union.godmother": "Bà Lăng Thị Thủy nhận làm mẹ đỡ đầu, thăm trẻ hằng tuần.",
    "youth_union.swimming": "Trẻ cùng 20 bạn trong thôn đã hoàn thành lớp dạy bơi.",
    "red_cross.material_support": "Đã trao 50 kg gạo, quần áo ấm và bộ sách giáo khoa.",
    "school.psychosocial": "Giáo viên tư vấn học đường đã gặp trẻ 5 buổi; trẻ hòa nhập lại lớp.",
}

# fmt: off
OPEN, ACCEPTED, DONE, DECLINED, PLANNED = (TaskStatus.open, TaskStatus.accepted,
                                           TaskStatus.done, TaskStatus.declined,
                                           TaskStatus.planned)
COLLABORATOR = ("Mông Thị Nga", "0912 000 111", "cộng tác viên thôn")
SCHOOL_REPORTER = ("Đặng Thị Hương", "0912 000 108", "giáo viên chủ nhiệm")
D1, H1 = 24.0, 1.0  # hours

# Most work is done on time. Five things wait in the supervisor's queue when the demo starts:
# the assessments of "hai" and of the second report on "mai", the legal aid nobody accepted
# ("thu"), the parenting group past its date and the material support the Red Cross
# declined ("duc"); a school task of "phuc" is just overdue.
CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "minh", 6 * H1, Channel.hotline_111, ("Nông Thị Hằng", "0912 000 201", "mẹ"),
        "Nhà riêng, Thôn Nà Van", "Mẹ gọi Tổng đài 111: bố say rượu, đánh trẻ bằng gậy, trẻ bị "
        "bầm tím ở lưng và tay; bố dọa đuổi hai mẹ con ra khỏi nhà.",
        (HarmForm.violence,), Setting.family, PerpetratorRelation.parent, True,
        CaseStatus.emergency, child_state="Bầm tím ở lưng và cánh tay, sợ hãi, không dám về nhà.",
        routed=(("police.verify", ACCEPTED), ("womens_union.family_support", OPEN)),
        follow_up=(2.0, Channel.village_head, ("Lục Văn Nam", "0912 000 121", "trưởng thôn"),
                   "Trưởng thôn xác nhận: hai mẹ con đang tạm ở nhà hàng xóm, bố vẫn say."),
    ),
    CaseSpec(
        FOUNDLING, 9 * H1, Channel.health_station, ("Nông Thị Mai", "0912 000 104", "y sĩ"),
        "Cổng Trạm Y tế xã Châu Sơn", "Trạm y tế phát hiện một bé gái sơ sinh khoảng 2–3 ngày "
        "tuổi bị bỏ lại trong làn nhựa trước cổng trạm lúc sáng sớm, không có giấy tờ.",
        (HarmForm.abandonment_neglect,), Setting.community, PerpetratorRelation.unknown, True,
        CaseStatus.emergency, child_state="Hạ thân nhiệt nhẹ, đã được ủ ấm và cho bú.",
        routed=(("police.trace_family", ACCEPTED), ("justice.birth_registration", OPEN)),
        alternative_care="Gia đình bà Hà Thị Lệ (Thôn Thống Nhất) nhận chăm sóc tạm thời",
    ),
    CaseSpec(
        "hai", 2 * D1, Channel.collaborator, COLLABORATOR, "Xưởng xẻ gỗ gần Quốc lộ 4B",
        "Trẻ 16 tuổi đã bỏ học, làm việc tại xưởng xẻ gỗ từ 6 giờ sáng đến tối, "
        "khuân vác gỗ nặng, không có bảo hộ.", (HarmForm.exploitation,), Setting.workplace,
        PerpetratorRelation.stranger, False, CaseStatus.assessing, caseworker="canbo.tuan",
    ),
    CaseSpec(
        MAI_AGAIN, 20 * H1, Channel.collaborator, COLLABORATOR, "Thôn Nà Nát",
        "Bố mẹ đi làm ăn xa, trẻ 6 tuổi thường ở nhà một mình đến tối, "
        "tự nấu ăn bằng bếp củi.", (HarmForm.abandonment_neglect,), Setting.family,
        PerpetratorRelation.unknown, False, CaseStatus.received,
        routed=(("village.home_visit", ACCEPTED), ("social.care_support", OPEN)),
    ),
    CaseSpec(
        "huyen", 5 * H1, Channel.online, None, "Mạng xã hội",
        "Người báo tin ẩn danh: một tài khoản lạ nhắn tin làm quen, đòi trẻ gửi ảnh nhạy cảm "
        "và dọa tung ảnh lên mạng.", (HarmForm.online_abuse,), Setting.online,
        PerpetratorRelation.stranger, False, CaseStatus.received,
    ),
    CaseSpec(
        "long", 10 * H1, Channel.village_head, ("Đặng Văn Chòi", "0912 000 123", "trưởng thôn"),
        "Hồ thủy lợi Khe Pặn", "Trẻ cùng nhóm bạn tắm ở hồ thủy lợi, bị đuối nước, được người "
        "dân cứu kịp thời.", (HarmForm.injury_drowning,), Setting.community,
        PerpetratorRelation.unknown, False, CaseStatus.assessing, caseworker="canbo.tuan",
        routed=(("village.fix_hazard", ACCEPTED), ("economic.fix_hazard", OPEN)),
    ),
    CaseSpec(
        "bao", 3 * D1, Channel.hotline_111, None, "Nhà riêng, Thôn Nà Pàn",
        "Hàng xóm (ẩn danh) báo: mẹ thường xuyên đánh trẻ, trẻ bị bỏng ở tay do bị dí que "
        "củi.", (HarmForm.violence,), Setting.family, PerpetratorRelation.parent, True,
        CaseStatus.planning, child_state="Vết bỏng ở mu bàn tay trái.",
        routed=(("womens_union.family_support", ACCEPTED),),
        separation="Nhà ông nội Lương Văn Kình, Thôn Nà Pàn",
    ),
    CaseSpec(
        "dung", 4 * D1, Channel.village_head, ("Lý Văn Páo", "0912 000 122", "trưởng thôn"),
        "Thôn Háng Ý", "Gia đình chuẩn bị tổ chức cưới cho trẻ 15 tuổi với một thanh niên "
        "thôn bên; trẻ đã nghỉ học hai tuần.", (HarmForm.child_marriage, HarmForm.dropout_risk),
        Setting.family, PerpetratorRelation.parent, False, CaseStatus.planning,
        caseworker="canbo.tuan",
        plan=(TaskSpec("justice.marriage_law", PLANNED, 14),
              TaskSpec("village.home_visit", PLANNED, 30)),
        rejection="Kế hoạch cần thêm hoạt động vận động trẻ đi học lại và phân công Đoàn "
        "Thanh niên theo dõi.",
    ),
    CaseSpec(
        "ha", 4 * D1, Channel.health_station, ("Nông Thị Mai", "0912 000 104", "y sĩ"),
        "Nhà riêng, Thôn Khe Pặn Giữa", "Trẻ khuyết tật vận động nặng, bố mẹ đi làm xa, bà nội "
        "già yếu; trẻ nằm một chỗ, không được tập phục hồi chức năng.",
        (HarmForm.abandonment_neglect,), Setting.family, PerpetratorRelation.unknown, False,
        CaseStatus.awaiting_approval, risk=RiskLevel.medium, support_only=True,
        plan=(TaskSpec("health.rehabilitation", PLANNED, 30),
              TaskSpec("school.inclusive", PLANNED, 30),
              TaskSpec("red_cross.material_support", PLANNED, 14, cost_vnd=1_500_000)),
    ),
    CaseSpec(
        "khanh", 80 * H1, Channel.village_head, ("Nông Văn Pằn", "0912 000 124", "trưởng thôn"),
        "Ao cá sau nhà văn hóa Thôn Nà Nát", "Trẻ 7 tuổi trượt chân ngã xuống ao cá không có "
        "rào chắn, được anh trai kéo lên.", (HarmForm.injury_drowning,), Setting.community,
        PerpetratorRelation.unknown, False, CaseStatus.awaiting_approval, risk=RiskLevel.medium,
        support_only=True, routed=(("economic.fix_hazard", ACCEPTED),),
        plan=(TaskSpec("health.follow_up", PLANNED, 14),
              TaskSpec("youth_union.swimming", PLANNED, 30, cost_vnd=3_000_000),
              TaskSpec("village.hazard_survey", PLANNED, 10)),
    ),
    CaseSpec(
        "thu", 7 * D1, Channel.school, SCHOOL_REPORTER, "Nương ngô cuối Thôn Khe Cù",
        "Giáo viên phát hiện trẻ sút cân, hoảng sợ; trẻ kể bị một người đàn ông trong thôn "
        "nhiều lần sàm sỡ trên đường đi học về.", (HarmForm.sexual_abuse,), Setting.community,
        PerpetratorRelation.stranger, True, CaseStatus.intervention,
        plan=(TaskSpec("police.investigate", ACCEPTED, 20),
              TaskSpec("social.psychosocial", ACCEPTED, 30),
              TaskSpec("justice.legal_aid", OPEN, 30)),
    ),
    CaseSpec(
        "duc", 25 * D1, Channel.hotline_111, None, "Nhà riêng, Thôn Bản Chắt",
        "Người gọi ẩn danh: cha dượng thường xuyên đánh, bắt trẻ nhịn ăn; trẻ bỏ nhà ra ngủ "
        "ở chòi nương.", (HarmForm.violence,), Setting.family, PerpetratorRelation.step_parent,
        True, CaseStatus.intervention, caseworker="canbo.tuan",
        plan=(TaskSpec("womens_union.parenting", ACCEPTED, late_hours=3 * D1),
              TaskSpec("social.psychosocial", ACCEPTED, 30),
              TaskSpec("red_cross.material_support", DECLINED, 7, cost_vnd=800_000,
                       note="Hội Chữ thập đỏ xã đã hết hàng hỗ trợ trong quý; đề nghị Phòng "
                       "Văn hóa - Xã hội kết nối nguồn xã hội hóa.")),
    ),
    CaseSpec(
        "phuc", 35 * D1, Channel.school, SCHOOL_REPORTER, "Trường THCS Châu Sơn",
        "Học sinh lớp 9 nghỉ học liên tục hai tuần để đi làm thuê; gia đình thuộc hộ nghèo.",
        (HarmForm.dropout_risk,), Setting.school, PerpetratorRelation.unknown, False,
        CaseStatus.intervention, risk=RiskLevel.medium, support_only=True,
        plan=(TaskSpec("school.reintegration", ACCEPTED, late_hours=10 * H1),
              TaskSpec("youth_union.peer_support", ACCEPTED, 60),
              TaskSpec("red_cross.material_support", DONE, 10, cost_vnd=1_200_000)),
    ),
    CaseSpec(
        "xuan", 60 * D1, Channel.collaborator, COLLABORATOR, "Thôn Nà Pàn",
        "Trẻ mồ côi sống với ông ngoại 80 tuổi, thường xuyên nhịn bữa sáng và nghỉ học.",
        (HarmForm.abandonment_neglect,), Setting.family, PerpetratorRelation.unknown, False,
        CaseStatus.monitoring, risk=RiskLevel.medium, support_only=True,
        plan=(TaskSpec("womens_union.godmother", DONE, 21),
              TaskSpec("social.benefits", DONE, 15)),
    ),
    CaseSpec(
        "may", 75 * D1, Channel.village_head, ("Đặng Văn Chòi", "0912 000 123", "trưởng thôn"),
        "Thôn Khe Pặn Ngọn", "Bố mẹ nhận sính lễ, định cho trẻ 16 tuổi về làm vợ ở xã bên.",
        (HarmForm.child_marriage,), Setting.family, PerpetratorRelation.parent, False,
        CaseStatus.monitoring, caseworker="canbo.tuan",
        plan=(TaskSpec("justice.marriage_law", DONE, 7),
              TaskSpec("womens_union.parenting", DONE, 30)),
    ),
    CaseSpec(
        "lan", 95 * D1, Channel.school, SCHOOL_REPORTER,
        "Nhóm lớp trên mạng xã hội", "Bạn cùng lớp chụp lén và phát tán ảnh của trẻ kèm lời lẽ "
        "xúc phạm; trẻ bỏ ăn, không muốn đến trường.", (HarmForm.online_abuse,),
        Setting.online, PerpetratorRelation.peer, False, CaseStatus.review, risk=RiskLevel.medium,
        plan=(TaskSpec("police.remove_content", DONE, 7),
              TaskSpec("school.psychosocial", DONE, 30)),
    ),
    CaseSpec(
        "hong", 150 * D1, Channel.walk_in, ("Trần Thị Loan", "0966 000 211", "mẹ"),
        "Trường Tiểu học Châu Sơn", "Mẹ đến UBND xã trình báo: giáo viên dùng thước đánh vào "
        "tay trẻ, trẻ sợ đến lớp.", (HarmForm.violence,), Setting.school,
        PerpetratorRelation.teacher, False, CaseStatus.closed, risk=RiskLevel.low,
        support_only=True, closure="Trẻ an toàn, đi học đều; giáo viên đã bị nhà trường xử lý "
        "kỷ luật và xin lỗi gia đình.",
        plan=(TaskSpec("school.psychosocial", DONE, 30),),
    ),
    CaseSpec(
        "sang", 200 * D1, Channel.police, ("Vi Văn Hùng", "0912 000 106", "công an xã"),
        "Mỏ đá Thống Nhất", "Công an xã phát hiện trẻ 16 tuổi làm việc tại mỏ đá, "
        "bốc xếp đá nặng.", (HarmForm.exploitation, HarmForm.dropout_risk), Setting.workplace,
        PerpetratorRelation.stranger, False, CaseStatus.closed, risk=RiskLevel.medium,
        closure="Trẻ đã thôi việc ở mỏ đá và theo học nghề; không còn nguy cơ.",
        plan=(TaskSpec("police.workplace_check", DONE, 3),
              TaskSpec("social.vocational", DONE, 30, cost_vnd=4_500_000)),
    ),
    CaseSpec(
        "tien", 170 * D1, Channel.phone, ("Hoàng Thị Chanh", "0869 000 229", "mẹ"),
        "Suối Khe Pặn", "Trẻ bị chuột rút khi tắm suối, được đưa đến trạm y tế sơ cứu.",
        (HarmForm.injury_drowning,), Setting.community, PerpetratorRelation.unknown, False,
        CaseStatus.closed, risk=RiskLevel.low, support_only=True,
        closure="Trẻ đã hồi phục, tham gia lớp dạy bơi an toàn; khúc suối đã có biển cảnh báo.",
        plan=(TaskSpec("health.follow_up", DONE, 7),
              TaskSpec("youth_union.swimming", DONE, 30, cost_vnd=3_000_000)),
    ),
)
# fmt: on

# Notes of the monitoring visits (Mẫu 05), in turn.
VISIT_NOTES = (
    "Thăm gia đình: trẻ ăn ngủ bình thường, đi học đều.",
    "Thăm gia đình và trao đổi với giáo viên: trẻ tiến bộ, không còn dấu hiệu nguy cơ.",
    "Thăm gia đình: người chăm sóc thực hiện đúng cam kết.",
)
