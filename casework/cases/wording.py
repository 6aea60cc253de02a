"""The words the case pages use for the workflow: each event's title and form (Mẫu 0x),
what a history entry or a message was, how a clock counts.

The workflow definition names states and deadlines in both languages, but not events: this
table gives each event the name the law and the commune use. An event the table does not
know still gets a page (``casework.cases.event_forms``): it is named after the step it
leads to, and its fields after their schema descriptions. Strings are Vietnamese, marked
with ``N_`` for the English catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from casework.base import Lang
from casework.messaging.words import TASK_CLOCKS
from casework.web.i18n import N_
from workflows.definition import Definition

Translate = Callable[[str], str]


@dataclass(frozen=True)
class EventWords:
    title: str  # the action's name and the form's heading
    form: str | None = None  # the law's form, e.g. "Mẫu 02"
    hint: str | None = None
    submit: str | None = None
    # field name (dotted, without row numbers) -> (label, hint)
    fields: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)


PLAN_ROW_FIELDS: Mapping[str, tuple[str, str | None]] = {
    "tasks": (N_("Các hoạt động hỗ trợ, can thiệp"), None),
    "tasks.agency_id": (N_("Cơ quan thực hiện"), None),
    "tasks.title": (N_("Hoạt động"), None),
    "tasks.starts_at": (N_("Ngày bắt đầu"), None),
    "tasks.due_at": (N_("Ngày kết thúc dự kiến"), None),
    "tasks.cost_vnd": (N_("Kinh phí (đồng)"), N_("Chỉ ghi số, ví dụ 1500000")),
}

EVENTS: dict[str, EventWords] = {
    "start_assessment": EventWords(
        N_("Bắt đầu đánh giá nguy cơ ban đầu"),
        hint=N_("Ghi nhận rằng bạn bắt đầu xác minh thông tin và đánh giá nguy cơ cho trẻ."),
        submit=N_("Bắt đầu đánh giá"),
    ),
    "complete_assessment": EventWords(
        N_("Đánh giá nguy cơ ban đầu"),
        form=N_("Mẫu 02"),
        hint=N_(
            "Trả lời các câu hỏi về sự an toàn của trẻ, rồi kết luận: trẻ có cần can thiệp "
            "khẩn cấp trong 12 giờ không, mức độ nguy cơ."
        ),
        submit=N_("Lưu kết quả đánh giá"),
        fields={
            "harm_found": (
                N_("Hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra"),
                N_("Ai đã làm gì, khi nào, ở đâu; đã xảy ra hay đang đe dọa xảy ra."),
            ),
            "child_safe_now": (N_("Hiện tại trẻ có an toàn không?"), None),
            "perpetrator_has_access": (
                N_("Người gây tổn hại còn tiếp cận được trẻ không?"),
                None,
            ),
            "injuries": (
                N_("Thương tích, tình trạng sức khỏe của trẻ"),
                N_("Ghi “Không có thương tích” nếu trẻ không bị thương."),
            ),
            "caregiver_can_protect": (
                N_("Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không?"),
                None,
            ),
            "substantiated": (
                N_("Kết luận: thông tin báo cáo có được xác minh là đúng không?"),
                N_("Chọn “Không” nếu thông tin không đúng sự thật: hồ sơ chuyển sang rà soát."),
            ),
            "emergency": (
                N_("Kết luận: trẻ có cần can thiệp khẩn cấp không?"),
                N_(
                    "Trẻ bị đe dọa hoặc bị tổn hại nghiêm trọng đến tính mạng, sức khỏe, nhân "
                    "phẩm, hoặc người gây tổn hại là cha mẹ, người chăm sóc trẻ."
                ),
            ),
            "risk_level": (N_("Kết luận: mức độ nguy cơ"), None),
            "protection_level": (N_("Cấp độ bảo vệ"), None),
        },
    ),
    "record_emergency_measures": EventWords(
        N_("Can thiệp khẩn cấp"),
        hint=N_("Hạn 12 giờ kể từ khi nhận được thông tin."),
        submit=N_("Lưu biện pháp khẩn cấp"),
        fields={
            "measures": (
                N_("Các biện pháp khẩn cấp đã thực hiện"),
                N_("Chọn mọi biện pháp đã làm; với mỗi biện pháp, ghi ai thực hiện và lúc nào."),
            ),
            "measures.description": (N_("Mô tả cụ thể"), None),
            "measures.by": (
                N_("Ai thực hiện"),
                N_("Cơ quan hoặc người, ví dụ: Công an xã, bà ngoại của trẻ."),
            ),
            "measures.at": (N_("Thời điểm thực hiện"), None),
        },
    ),
    "record_separation": EventWords(
        N_("Quyết định tạm thời cách ly trẻ"),
        form=N_("Mẫu 07"),
        hint=N_("Chủ tịch UBND xã quyết định; thời gian cách ly tối đa 15 ngày."),
        submit=N_("Lưu quyết định cách ly"),
        fields={
            "started_at": (N_("Thời điểm bắt đầu cách ly"), None),
            "place": (N_("Nơi chăm sóc tạm thời"), None),
        },
    ),
    "end_separation": EventWords(
        N_("Kết thúc cách ly tạm thời"),
        form=N_("Mẫu 03"),
        hint=N_("Đánh giá lại sự an toàn của gia đình trước khi trẻ trở về."),
        fields={"ended_at": (N_("Thời điểm kết thúc cách ly"), None)},
    ),
    "start_alternative_care": EventWords(
        N_("Bắt đầu chăm sóc thay thế"),
        fields={
            "started_at": (N_("Ngày bắt đầu chăm sóc thay thế"), None),
            "arrangement": (
                N_("Hình thức chăm sóc thay thế"),
                N_("Ví dụ: gia đình nhận chăm sóc, người thân thích."),
            ),
        },
    ),
    "record_care_visit": EventWords(
        N_("Thăm trẻ được chăm sóc thay thế"),
        hint=N_("Theo dõi sau 1 tháng, 3 tháng, rồi 6 tháng một lần."),
        fields={"visited_at": (N_("Thời điểm thăm"), None)},
    ),
    "end_alternative_care": EventWords(
        N_("Kết thúc chăm sóc thay thế"),
        fields={"ended_at": (N_("Ngày kết thúc chăm sóc thay thế"), None)},
    ),
    "submit_plan": EventWords(
        N_("Kế hoạch hỗ trợ, can thiệp"),
        form=N_("Mẫu 04"),
        hint=N_(
            "Lập trong 5 ngày làm việc (trường hợp khẩn cấp: ngay sau khi can thiệp), rồi "
            "gửi Chủ tịch UBND xã phê duyệt. Dòng để trống không được lưu."
        ),
        submit=N_("Gửi kế hoạch để phê duyệt"),
        fields=PLAN_ROW_FIELDS,
    ),
    "approve_plan": EventWords(
        N_("Phê duyệt kế hoạch"),
        form=N_("Mẫu 05"),
        hint=N_("Sau khi phê duyệt, các cơ quan nhận nhiệm vụ của kế hoạch và bắt đầu thực hiện."),
        submit=N_("Phê duyệt kế hoạch"),
        fields={
            "first_visit_on": (N_("Ngày thăm theo dõi đầu tiên"), None),
            "review_on": (N_("Ngày rà soát kết quả can thiệp (Mẫu 06)"), None),
            "note": (N_("Ý kiến của Chủ tịch UBND xã"), None),
        },
    ),
    "reject_plan": EventWords(
        N_("Chưa phê duyệt, trả lại kế hoạch"),
        form=N_("Mẫu 05"),
        submit=N_("Trả lại kế hoạch"),
        fields={
            "reason": (
                N_("Lý do chưa phê duyệt"),
                N_("Cần khi trả lại kế hoạch: nói rõ cần sửa gì."),
            ),
            "note": (N_("Ý kiến của Chủ tịch UBND xã"), None),
        },
    ),
    "start_monitoring": EventWords(
        N_("Chuyển sang theo dõi"),
        hint=N_("Các hoạt động chính đã xong; bắt đầu thăm theo dõi định kỳ."),
    ),
    "record_followup": EventWords(
        N_("Thăm theo dõi"),
        fields={
            "visited_at": (N_("Thời điểm thăm"), None),
            "next_visit_on": (N_("Ngày thăm theo dõi tiếp theo"), None),
            "note": (N_("Kết quả thăm theo dõi"), None),
        },
    ),
    "start_review": EventWords(
        N_("Rà soát sau can thiệp"),
        form=N_("Mẫu 06"),
        fields={
            "stable": (
                N_("Trẻ đã hết nguy cơ và ổn định về thể chất, tâm lý, nhận thức, cảm xúc chưa?"),
                N_("Chỉ đóng hồ sơ khi rà soát kết luận “Có”."),
            ),
            "score": (N_("Mức độ nguy cơ còn lại"), None),
        },
    ),
    "replan": EventWords(
        N_("Lập lại kế hoạch"),
        hint=N_("Rà soát cho thấy trẻ vẫn còn nguy cơ: xây dựng kế hoạch mới."),
    ),
    "close": EventWords(
        N_("Đóng hồ sơ"),
        submit=N_("Đóng hồ sơ"),
        fields={"reason": (N_("Lý do đóng hồ sơ"), None)},
    ),
    "reopen": EventWords(N_("Mở lại hồ sơ"), fields={"reason": (N_("Lý do mở lại"), None)}),
    "transfer": EventWords(
        N_("Chuyển hồ sơ ra ngoài xã"),
        hint=N_(
            "Cần sự đồng ý của cha mẹ hoặc người giám hộ và của trẻ từ đủ 7 tuổi, hoặc một "
            "căn cứ pháp lý."
        ),
        submit=N_("Chuyển hồ sơ"),
        fields={
            "to": (N_("Chuyển đến"), N_("Xã khác, Sở Y tế, Trung tâm công tác xã hội tỉnh…")),
            "guardian_consented": (N_("Cha mẹ hoặc người giám hộ có đồng ý không?"), None),
            "child_consented": (N_("Trẻ (từ đủ 7 tuổi) có đồng ý không?"), None),
            "legal_ground": (N_("Căn cứ pháp lý thay cho sự đồng ý"), None),
        },
    ),
}


@dataclass(frozen=True)
class Decision:
    """Two events decided on one page, the thing decided shown read-only above them: the
    first event's button is the main one, the second's sits beside it."""

    title: str
    form: str
    hint: str
    events: tuple[str, str]
    shows_plan: bool = False


PLAN_DECISION = Decision(
    N_("Xét duyệt kế hoạch hỗ trợ, can thiệp"),
    N_("Mẫu 05"),
    N_(
        "Đọc kế hoạch dưới đây rồi quyết định. Phê duyệt: các cơ quan nhận nhiệm vụ và bắt "
        "đầu thực hiện; trả lại: người lập kế hoạch sửa theo lý do bạn ghi."
    ),
    ("approve_plan", "reject_plan"),
    shows_plan=True,
)
DECISIONS: Mapping[str, Decision] = {event: PLAN_DECISION for event in PLAN_DECISION.events}
# A date the definition lets a form choose for a clock (``due: payload.<field>``).
CHOSEN_DATE_HINT = N_("Đề xuất: %(proposed)s. Chọn một ngày từ %(earliest)s đến %(latest)s.")
CHOSEN_DATE_HINT_OPEN = N_("Đề xuất: %(proposed)s. Chọn một ngày từ %(earliest)s trở đi.")

# Shared by every event's form.
COMMON_FIELDS: Mapping[str, tuple[str, str | None]] = {
    "note": (N_("Ghi chú"), None),
    "assessment": (
        N_("Đánh giá nguy cơ cụ thể (Mẫu 03)"),
        N_("Ghi những mục đã đánh giá được; mục chưa có thông tin để trống."),
    ),
}

# Choices a schema spells as a literal (no enum, so no registered label).
CHOICES: Mapping[tuple[str, str], str] = {
    ("reason", "resolved"): N_("Rà soát kết luận trẻ hết nguy cơ, đã ổn định"),
    ("reason", "unsubstantiated"): N_("Thông tin ban đầu không đúng sự thật"),
}

# History entries that are not workflow events.
HISTORY: Mapping[str, str] = {
    "receive": N_("Tiếp nhận thông tin, mở hồ sơ"),
    "attach_report": N_("Nhận thêm báo cáo về trẻ"),
    "task_unroutable": N_("Không tìm được cơ quan nhận nhiệm vụ"),
    "task_accepted": N_("Cơ quan đã nhận nhiệm vụ"),
    "task_declined": N_("Cơ quan không thực hiện được nhiệm vụ"),
    "task_completed": N_("Cơ quan đã hoàn thành nhiệm vụ"),
    "escalation_acknowledged": N_("Lãnh đạo đã nhận xử lý việc được chuyển lên"),
    "escalation_reassigned": N_("Nhiệm vụ được giao lại"),
    "deadline_extended": N_("Thời hạn được gia hạn"),
    "messages_resent": N_("Lãnh đạo cho gửi lại thông báo không gửi được"),
    "messages_settled": N_("Lãnh đạo ghi nhận đã báo cho cơ quan bằng cách khác"),
    "case_assigned": N_("Giao người phụ trách hồ sơ"),
    "case_taken": N_("Nhận phụ trách hồ sơ"),
    "task_handed_over": N_("Nhiệm vụ được bàn giao khi người nhận nghỉ hoặc chuyển công tác"),
}
LADDER_STEPS: Mapping[str, str] = {
    "remind": N_("Nhắc hạn"),
    "warn": N_("Cảnh báo sắp hết hạn"),
    "overdue": N_("Quá hạn"),
    "escalate": N_("Chuyển lên lãnh đạo xử lý"),
}
MESSAGE_KINDS: Mapping[str, str] = {
    "task.new": N_("Nhiệm vụ mới"),
    "task.declined": N_("Nhiệm vụ không thực hiện được"),
    "deadline.remind": N_("Nhắc hạn"),
    "deadline.warn": N_("Cảnh báo sắp hết hạn"),
    "deadline.overdue": N_("Báo quá hạn"),
    "case.emergency": N_("Báo trường hợp khẩn cấp"),
    "plan.awaiting_approval": N_("Kế hoạch chờ phê duyệt"),
    "escalation.new": N_("Báo có việc cần lãnh đạo xử lý"),
    "case.assigned": N_("Báo được giao phụ trách hồ sơ"),
    "digest.daily": N_("Tin tổng hợp hằng ngày"),
}
MESSAGE_STATES: Mapping[str, str] = {
    "pending": N_("Đang chờ gửi"),
    "sending": N_("Đang gửi"),
    "sent": N_("Đã gửi"),
    "failed": N_("Gửi lỗi, sẽ gửi lại"),
    "dead": N_("Không gửi được"),
}
CHANNELS: Mapping[str, str] = {"email": N_("E-mail"), "sms": N_("SMS")}
# UX: each deadline says whether it counts hours or working days (DOMAIN.md §2).
CLOCKS: Mapping[str, str] = {
    "hours": N_("tính theo giờ, kể cả ngày nghỉ"),
    "days": N_("tính theo ngày, kể cả ngày nghỉ"),
    "working_days": N_("tính theo ngày làm việc, trừ thứ Bảy, Chủ nhật và ngày lễ"),
    "months": N_("tính theo tháng"),
}


def event_title(definition: Definition, event: str, lang: Lang, tr: Translate) -> str:
    """The event's name; one the table does not know is named after where it leads."""
    words = EVENTS.get(event)
    if words is not None:
        return tr(words.title)
    dest = next((t.dest for t in definition.transitions if t.event == event and t.dest), None)
    if dest is None:
        return event.replace("_", " ").capitalize()
    state = definition.states[dest]
    return tr(N_("Chuyển sang bước: %(step)s")) % {"step": state.en if lang == "en" else state.vi}


def history_title(
    definition: Definition, event: str, payload: Mapping[str, object], lang: Lang, tr: Translate
) -> str:
    """What a history entry was: a workflow event, a task answered, a ladder step…"""
    if event == "deadline_step":
        step = tr(LADDER_STEPS.get(str(payload.get("step")), N_("Nhắc hạn")))
        return f"{step}: {deadline_label(definition, str(payload.get('kind')), lang)}"
    if event in HISTORY:
        return tr(HISTORY[event])
    return event_title(definition, event, lang, tr)


def state_label(definition: Definition, state: str | None, lang: Lang) -> str:
    spec = definition.states.get(state or "")
    if spec is None:
        return state or ""
    return spec.en if lang == "en" else spec.vi


def deadline_label(definition: Definition, kind: str, lang: Lang) -> str:
    """A clock's name in ``lang``: the definition's, or a task's own clocks."""
    spec = definition.deadlines.get(kind)
    if spec is None:
        return task_clock_label(kind, lang)
    return spec.label.en if lang == "en" else spec.label.vi


def task_clock_label(kind: str, lang: Lang) -> str:
    """A task's own clock: "Hạn nhận nhiệm vụ" (to accept it), "Hạn hoàn thành" (to do it)."""
    vi, en = TASK_CLOCKS.get(kind, (kind, kind))
    return en if lang == "en" else vi


# What a history entry's payload holds, as the timeline shows it (people's words included:
# the page is for the commune's caseworkers and supervisor only).
DETAILS: Mapping[str, str] = {
    "note": N_("Ghi chú"),
    "reason": N_("Lý do"),
    "risk_level": N_("Mức độ nguy cơ"),
    "emergency": N_("Cần can thiệp khẩn cấp"),
    "substantiated": N_("Thông tin đúng sự thật"),
    "protection_level": N_("Cấp độ bảo vệ"),
    "place": N_("Nơi chăm sóc tạm thời"),
    "arrangement": N_("Hình thức chăm sóc thay thế"),
    "started_at": N_("Bắt đầu"),
    "ended_at": N_("Kết thúc"),
    "visited_at": N_("Thời điểm thăm"),
    "first_visit_on": N_("Ngày thăm theo dõi đầu tiên"),
    "review_on": N_("Ngày rà soát"),
    "next_visit_on": N_("Ngày thăm theo dõi tiếp theo"),
    "stable": N_("Hết nguy cơ và ổn định"),
    "harm_found": N_("Hành vi xâm hại, tổn hại"),
    "child_safe_now": N_("Hiện tại trẻ an toàn"),
    "perpetrator_has_access": N_("Người gây tổn hại còn tiếp cận được trẻ"),
    "injuries": N_("Thương tích, sức khỏe"),
    "caregiver_can_protect": N_("Cha mẹ, người chăm sóc bảo vệ được trẻ"),
    "measures": N_("Biện pháp khẩn cấp đã thực hiện"),
    "score": N_("Mức độ nguy cơ còn lại"),
    "to": N_("Chuyển đến"),
    "legal_ground": N_("Căn cứ pháp lý"),
    "conference_minutes": N_("Biên bản họp liên ngành"),
    "tasks": N_("Số hoạt động trong kế hoạch"),
    "to_due_at": N_("Hạn mới"),
    "count": N_("Số tin"),
    "late_report_days": N_("Báo cáo được chuyển muộn"),
}

# Refusals the event's own form answers (a plan's activities are typed in its form): the
# action is still offered, its form says what is missing.
FORM_ANSWERS = frozenset({"guard_plan_without_tasks"})
