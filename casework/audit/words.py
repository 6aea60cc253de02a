"""The audit log in sentences an inspector reads: who (name and role), did what to which
record, with what outcome, from where.

The log itself keeps codes (``permission_denied``, ``{"action": "case.read"}``): they are
what the hash chain covers and what the CSV export gives machines. This module only words
them for the page, in the reader's language, naming people from the accounts table. A
child is named by their number in the children register, never by name: the log holds
nothing personal about a child, and an auditor reads no case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from casework.accounts.models import Role, User
from casework.audit.models import AuditEntry
from casework.base import Lang, label
from casework.cases import workflow
from casework.cases.wording import event_title
from casework.messages import field_label
from casework.web.i18n import N_, translations

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Person:
    full_name: str
    role: Role | None
    username: str


def people_of(users: Iterable[User]) -> dict[int, Person]:
    """The accounts an entry may name, by user id."""
    return {
        user.id: Person(user.full_name, Role(user.role), user.username)
        for user in users
        if user.id is not None
    }


@dataclass(frozen=True)
class Sentence:
    who: str
    role: str
    did: str
    outcome: str  # "" when it went as asked
    refused: bool
    where: str

    def line(self) -> str:
        """The whole sentence on one line (the CSV export's readable column)."""
        who = f"{self.who} ({self.role})" if self.role else self.who
        return f"{who}: {self.did}" + (f" — {self.outcome}" if self.outcome else "")


OUTCOMES = {
    "hidden": N_("Bị từ chối; trả lời như thể không có"),
    "denied": N_("Bị từ chối"),
    "failed": N_("Không thành công"),
    "bad_credentials": N_("Không thành công: sai tên đăng nhập hoặc mật khẩu"),
    "locked": N_("Bị từ chối: tạm khóa sau nhiều lần đăng nhập sai"),
}
REASONS = {
    "not_found": N_("không thuộc phạm vi người này được xem"),
    "not_permitted": N_("vai trò của người này không được làm việc này"),
    "token_scope": N_("token API không được cấp quyền này"),
    "task_of_another_agency": N_("nhiệm vụ của cơ quan khác"),
}
# What a refused request tried (casework.authz.policy.Action), as a phrase.
ATTEMPTS = {
    "intake.create": N_("gửi báo cáo"),
    "case.list": N_("xem danh sách hồ sơ"),
    "case.read": N_("xem hồ sơ"),
    "case.event": N_("thực hiện một bước xử lý hồ sơ"),
    "task.act": N_("trả lời nhiệm vụ"),
    "child.list": N_("xem sổ trẻ em"),
    "child.register": N_("đăng ký trẻ vào sổ trẻ em"),
    "child.edit": N_("sửa thông tin trẻ trong sổ trẻ em"),
    "child.import": N_("nhập danh sách trẻ em từ tệp"),
    "child.merge": N_("gộp hai hồ sơ của cùng một trẻ"),
    "child.merge_undo": N_("hoàn tác việc gộp hồ sơ trẻ em"),
    "registry.membership": N_("ghi hoặc kết thúc nhóm hoàn cảnh đặc biệt của trẻ"),
    "registry.support": N_("ghi hỗ trợ trẻ đã nhận"),
    "registry.proposal": N_("quyết định đề xuất đưa trẻ vào danh sách"),
    "registry.data_quality": N_("xem danh sách rà soát, làm sạch dữ liệu trẻ em"),
    "registry.export": N_("tải về sổ trẻ em (tệp Excel)"),
    "escalation.list": N_("xem việc cần lãnh đạo xử lý"),
    "escalation.act": N_("xử lý một việc cần lãnh đạo xử lý"),
    "case.assign": N_("giao người phụ trách hồ sơ"),
    "case.take": N_("nhận phụ trách hồ sơ"),
    "calendar.manage": N_("sửa lịch làm việc của xã"),
    "stats.read": N_("xem số liệu thống kê"),
    "stats.population": N_("sửa số trẻ em của xã"),
    "report.read": N_("xem báo cáo định kỳ"),
    "report.manage": N_("mở báo cáo đột xuất, tải dự thảo báo cáo của xã"),
    "audit.read": N_("xem nhật ký truy cập"),
    "audit.export": N_("tải về nhật ký truy cập"),
    "account.self": N_("đổi thông tin tài khoản của mình"),
    "dashboard.read": N_("xem trang của mình"),
    "admin.manage": N_("quản trị tài khoản và cơ quan"),
    "province.manage": N_("thiết lập các xã của tỉnh"),
    "review.do": N_("rà soát danh sách trẻ em của thôn"),
    "review.manage": N_("xác nhận kết quả rà soát của thôn"),
    "review.quarter_read": N_("xem tổng hợp rà soát theo quý"),
    "review.quarter_close": N_("tổng hợp rà soát quý"),
    "cleaning.manage": N_("làm sạch dữ liệu trẻ em (Đề án 06)"),
    "cleaning.task": N_("xác minh dữ liệu trẻ em (Đề án 06)"),
}
# The data-cleaning loop (Đề án 06): a child by their number, never by name.
CLEANING = {
    "list": N_("Xem danh sách làm sạch dữ liệu: %(count)s trẻ"),
    "view": N_("Xem việc làm sạch dữ liệu số %(id)s (trẻ em số %(child)s)"),
    "create": N_("Bắt đầu làm sạch dữ liệu của %(count)s trẻ"),
    "visit": N_("Ghi kết quả xác minh tại hộ gia đình, việc số %(id)s (trẻ em số %(child)s)"),
    "verify": N_("Ghi kết quả công an xã xác thực, việc số %(id)s (trẻ em số %(child)s)"),
    "update": N_("Cập nhật hồ sơ trẻ em số %(child)s theo kết quả xác thực (việc số %(id)s)"),
}
TASK_ANSWERS = {
    "accept": N_("Nhận nhiệm vụ %(task)s"),
    "decline": N_("Báo không thực hiện được nhiệm vụ %(task)s"),
    "complete": N_("Báo hoàn thành nhiệm vụ %(task)s"),
}
ESCALATION_ACTIONS = {
    "acknowledge": N_("Nhận xử lý %(item)s"),
    "reassign": N_("Giao %(item)s cho cơ quan khác"),
    "extend": N_("Gia hạn %(item)s"),
    "resend": N_("Gửi lại thông báo của %(item)s"),
    "settle": N_("Ghi nhận đã báo cho cơ quan bằng cách khác, %(item)s"),
}
OWNER_CHANGES = {
    "assign": N_("Giao hồ sơ %(code)s cho %(user)s phụ trách"),
    "take": N_("Nhận phụ trách hồ sơ %(code)s"),
}
# What changed in a child's part of the register (casework.registry); the group is not
# named: a group such as "l) bị xâm hại tình dục" is itself protected data.
REGISTER_CHANGES = {
    "membership_added": N_("Ghi trẻ em số %(id)s vào một nhóm hoàn cảnh đặc biệt"),
    "at_risk_added": N_("Ghi trẻ em số %(id)s có nguy cơ rơi vào hoàn cảnh đặc biệt"),
    "membership_ended": N_("Kết thúc một nhóm hoàn cảnh đặc biệt của trẻ em số %(id)s"),
    "support_added": N_("Ghi hỗ trợ trẻ em số %(id)s đã nhận"),
    "support_ended": N_("Ghi ngày kết thúc hỗ trợ của trẻ em số %(id)s"),
    "proposal_confirmed": N_("Xác nhận đề xuất đưa trẻ em số %(id)s vào danh sách"),
    "proposal_dismissed": N_("Không đưa trẻ em số %(id)s vào danh sách theo đề xuất"),
}
REVIEW_CHANGES = {
    "submit": N_("Gửi kết quả đợt rà soát thôn số %(id)s"),
    "applied": N_("Cập nhật sổ trẻ em theo nội dung số %(item)s của đợt rà soát thôn số %(id)s"),
    "rejected": N_("Không cập nhật nội dung số %(item)s của đợt rà soát thôn số %(id)s"),
    "close": N_("Hoàn thành đợt rà soát thôn số %(id)s"),
}
CALENDAR_CHANGES = {
    "add": N_("Thêm ngày %(day)s vào lịch làm việc của xã"),
    "remove": N_("Xóa ngày %(day)s khỏi lịch làm việc của xã"),
}
ACCOUNT_CHANGES = {
    "password": N_("Đổi mật khẩu của mình"),
    "notifications": N_("Đổi cách nhận thông báo và ngôn ngữ của mình"),
    "logout_everywhere": N_("Đăng xuất khỏi mọi thiết bị"),
    "user_created": N_("Tạo tài khoản %(user)s"),
    "user_disabled": N_("Khóa tài khoản %(user)s"),
    "password_reset": N_("Đặt lại mật khẩu của %(user)s"),
}
VIEWS = {
    "case_list": N_("Xem danh sách hồ sơ: %(count)s hồ sơ %(codes)s"),
    "case_search": N_("Tìm hồ sơ (từ tìm kiếm không được ghi lại): %(count)s hồ sơ %(codes)s"),
    "task_list": N_("Xem danh sách nhiệm vụ: %(count)s nhiệm vụ của hồ sơ %(codes)s"),
    "child_list": N_("Xem sổ trẻ em: %(count)s trẻ"),
    "child_search": N_("Tìm trong sổ trẻ em (từ tìm kiếm không được ghi lại): %(count)s trẻ"),
    "child": N_("Xem trẻ em số %(id)s trong sổ trẻ em, các hồ sơ %(codes)s"),
    "child_form": N_("Mở biểu mẫu sửa thông tin trẻ em số %(id)s trong sổ trẻ em"),
    "child_record": N_("Xem thông tin trẻ em số %(id)s trong sổ trẻ em (API)"),
    "import_job": N_("Xem lần nhập danh sách trẻ em số %(id)s"),
    "registry_list": N_("Xem sổ theo dõi trẻ em có hoàn cảnh đặc biệt: %(count)s trẻ"),
    "registry_list_search": N_(
        "Tìm trong sổ theo dõi trẻ em có hoàn cảnh đặc biệt (từ tìm kiếm không được ghi lại): "
        "%(count)s trẻ"
    ),
    "child_merge": N_("So sánh hai hồ sơ trẻ em số %(id)s để gộp"),
    "child_merges": N_("Xem các hồ sơ đã gộp vào trẻ em số %(id)s"),
    "child_register": N_("Xem nhóm hoàn cảnh đặc biệt, hỗ trợ và đề xuất của trẻ em số %(id)s"),
    "registry_proposals": N_("Xem các đề xuất đưa trẻ vào danh sách: %(count)s trẻ"),
    "data_quality": N_("Xem danh sách rà soát, làm sạch dữ liệu trẻ em: %(count)s trẻ"),
    "dashboard": N_("Xem trang của mình"),
    "dashboard_list": N_("Xem trang của mình, danh sách hồ sơ %(codes)s"),
    "stats": N_("Xem số liệu thống kê (chỉ số đếm)"),
    "escalation_queue": N_("Xem việc cần lãnh đạo xử lý, các hồ sơ %(codes)s"),
    "commune_calendar": N_("Xem lịch làm việc của xã (ngày nghỉ riêng, ngày làm bù)"),
    "escalation": N_("Xem %(item)s"),
    "audit_log": N_("Xem nhật ký truy cập"),
    "user_list": N_("Xem danh sách tài khoản"),
    "user": N_("Xem tài khoản %(user)s"),
    "village_review": N_("Xem đợt rà soát thôn số %(id)s: %(count)s trẻ"),
    "village_reviews": N_("Xem danh sách các đợt rà soát thôn"),
    "review_quarters": N_("Xem tổng hợp rà soát theo quý (chỉ số đếm)"),
    "statistics": N_("Xem số liệu thống kê trẻ em (chỉ số đếm)"),
    "plan_targets": N_("Xem chỉ tiêu kế hoạch (chỉ số đếm)"),
    "child_population": N_("Xem số trẻ em của xã theo năm"),
    "periodic_reports": N_("Xem danh sách báo cáo định kỳ"),
    "periodic_report": N_("Xem báo cáo định kỳ số %(id)s"),
    "report_schedule": N_("Xem lịch báo cáo của xã"),
}
# Reporting (casework.reports): a report by its number, counts only.
REPORT_STEPS = {
    "nop": N_("Nộp báo cáo định kỳ số %(id)s"),
    "tra-lai": N_("Trả lại báo cáo định kỳ số %(id)s cho cơ quan"),
    "tiep-nhan": N_("Tiếp nhận báo cáo định kỳ số %(id)s"),
    "luu": N_("Lưu bản tổng hợp báo cáo số %(id)s"),
    "trinh": N_("Trình phê duyệt báo cáo số %(id)s"),
    "tra-ve": N_("Trả lại báo cáo số %(id)s để sửa"),
    "phe-duyet": N_("Phê duyệt báo cáo số %(id)s"),
    "gui": N_("Ghi nhận đã gửi báo cáo số %(id)s"),
}
REPORT_EXPORTS = {
    "statistics": N_("Tải về số liệu thống kê (tệp Excel, chỉ số đếm)"),
    "statistics_document": N_("Tải về dự thảo báo cáo từ số liệu thống kê (tệp Word)"),
    "periodic_report": N_("Tải về dự thảo báo cáo số %(id)s (tệp Word)"),
    "periodic_report_attachment": N_("Tải về tệp đính kèm của báo cáo số %(id)s"),
}
CASE_VIEWS = {
    "full": N_("Xem toàn bộ hồ sơ %(code)s"),
    "task": N_("Xem hồ sơ %(code)s (phần dành cho cơ quan có nhiệm vụ)"),
    "print": N_("Xem bản in của hồ sơ %(code)s"),
    "form": N_("Mở biểu mẫu “%(step)s” của hồ sơ %(code)s"),
    "task_page": N_("Xem nhiệm vụ %(task)s"),
}
# An import of a list of children (casework.registry.imports): counts, never a name.
IMPORT_WORDS = {
    "create": N_("Tải lên tệp danh sách trẻ em để kiểm tra (lần nhập số %(id)s)"),
    "export": N_("Tải về báo cáo kiểm tra của lần nhập số %(id)s"),
    "import_all_or_nothing": N_("Chọn nhập tất cả hoặc không nhập gì, lần nhập số %(id)s"),
    "import_valid_only": N_("Chọn chỉ nhập các dòng hợp lệ, lần nhập số %(id)s"),
    "discard": N_("Hủy lần nhập số %(id)s"),
    "remap": N_("Sửa cách ghép cột của lần nhập số %(id)s"),
    "done": N_(
        "Nhập danh sách trẻ em, lần nhập số %(id)s: %(created)s trẻ mới, %(linked)s trẻ đã có, "
        "%(groups)s nhóm hoàn cảnh thêm, %(skipped)s dòng lỗi không nhập"
    ),
}
MERGES = {
    "merge": N_(
        "Gộp hồ sơ trẻ em số %(other)s vào trẻ em số %(id)s trong sổ trẻ em "
        "(chuyển %(count)s bản ghi)"
    ),
    "merge_undo": N_(
        "Hoàn tác việc gộp hồ sơ trẻ em số %(other)s vào trẻ em số %(id)s "
        "(trả lại %(count)s bản ghi)"
    ),
}
EXPORTS = {
    "registry": N_("Tải về sổ trẻ em (tệp Excel, %(rows)s dòng)"),
    "data_quality": N_(
        "Tải về danh sách rà soát, làm sạch dữ liệu trẻ em (tệp Excel, %(rows)s dòng)"
    ),
}
MAX_CODES = 5


def describe(entry: AuditEntry, people: Mapping[int, Person], lang: Lang) -> Sentence:
    """One entry as a sentence (the codes stay in the entry and in the CSV export)."""
    tr: Translate = translations(lang).gettext
    detail: dict[str, Any] = dict(entry.detail or {})
    person = people.get(entry.actor_id) if entry.actor_id is not None else None
    role = person.role if person else _role(entry.role)
    return Sentence(
        who=_who(entry, person, tr),
        role=label(role, lang) if role else "",
        did=_did(entry, detail, people, lang, tr),
        outcome=_outcome(entry, detail, tr),
        refused=entry.outcome != "ok",
        where=_where(entry, tr),
    )


def _role(value: str | None) -> Role | None:
    return Role(value) if value in Role.__members__ else None


def _who(entry: AuditEntry, person: Person | None, tr: Translate) -> str:
    if person is not None:
        return person.full_name
    name = entry.username or ""
    if name.startswith("cli:"):
        return tr(N_("Lệnh quản trị trên máy chủ (người dùng %(name)s)")) % {"name": name[4:]}
    if entry.action == "failed_login" and name:
        return tr(N_("Ai đó đăng nhập bằng tên “%(name)s”")) % {"name": name}
    return name or tr(N_("Không rõ"))


def _codes(values: object, tr: Translate) -> str:
    codes = [str(value) for value in values] if isinstance(values, list) else []
    if not codes:
        return ""
    shown = ", ".join(codes[:MAX_CODES])
    more = len(codes) - MAX_CODES
    return shown + (tr(N_(" và %(n)s hồ sơ khác")) % {"n": more} if more > 0 else "")


def _user(subject_id: str | None, people: Mapping[int, Person], tr: Translate) -> str:
    person = people.get(int(subject_id)) if subject_id and subject_id.isdigit() else None
    if person is None:
        return tr(N_("số %(id)s")) % {"id": subject_id or "?"}
    return f"{person.full_name} ({person.username})"


def _did(  # one branch per kind of entry
    entry: AuditEntry,
    detail: dict[str, Any],
    people: Mapping[int, Person],
    lang: Lang,
    tr: Translate,
) -> str:
    action, subject, subject_id = entry.action, entry.subject_type or "", entry.subject_id
    case = str(detail.get("case") or "")
    task = tr(N_("số %(id)s của hồ sơ %(case)s")) % {"id": subject_id, "case": case}
    item = tr(N_("việc số %(id)s cần lãnh đạo xử lý của hồ sơ %(case)s")) % {
        "id": subject_id,
        "case": case,
    }
    user = _user(subject_id, people, tr)
    if subject == "cleaning_loop":
        return _cleaning(action, subject_id, detail, tr)
    if action == "view" and subject == "case":
        code = subject_id or ""
        if "form" in detail:
            definition = workflow.latest("child_protection")
            step = event_title(definition, str(detail["form"]), lang, tr)
            return tr(CASE_VIEWS["form"]) % {"step": step, "code": code}
        if "print" in detail:
            return tr(CASE_VIEWS["print"]) % {"code": code}
        if detail.get("view") == "task" and "task" in detail:
            shown = tr(N_("số %(id)s của hồ sơ %(case)s")) % {"id": detail["task"], "case": code}
            return tr(CASE_VIEWS["task_page"]) % {"task": shown}
        return tr(CASE_VIEWS.get(str(detail.get("view")), CASE_VIEWS["full"])) % {"code": code}
    if action == "view":
        key = subject
        if subject in {"case_list", "child_list"} and detail.get("searched"):
            key = subject.replace("_list", "_search")
        if subject == "registry_list" and detail.get("searched"):
            key = "registry_list_search"
        if subject == "dashboard" and detail.get("cases"):
            key = "dashboard_list"
        if subject == "child" and "view" in detail:
            key = "child_form" if detail["view"] == "form" else "child_record"
        listed = detail.get("cases") or []
        counted = detail.get("tasks") if subject == "task_list" else detail.get("children", listed)
        words = VIEWS.get(key)
        if words is None:
            return tr(N_("Xem %(what)s")) % {"what": f"{subject} {subject_id or ''}".strip()}
        return tr(words) % {
            "count": len(counted) if isinstance(counted, list) else 0,
            "codes": _codes(listed, tr),
            "id": subject_id,
            "item": tr(N_("việc số %(id)s cần lãnh đạo xử lý của hồ sơ %(case)s"))
            % {"id": subject_id, "case": case},
            "user": user,
        }
    if action == "create" and subject == "case":
        if detail.get("replayed"):
            return tr(N_("Gửi lại báo cáo đã nhận cho hồ sơ %(code)s (không tạo gì mới)")) % {
                "code": subject_id
            }
        return tr(N_("Ghi nhận báo cáo vào hồ sơ %(code)s")) % {"code": subject_id}
    if action == "update" and subject == "child" and detail.get("action") in MERGES:
        return tr(MERGES[str(detail["action"])]) % {
            "id": subject_id,
            "other": detail.get("merged"),
            "count": sum(len(ids) for ids in dict(detail.get("moved") or {}).values()),
        }
    if subject == "child" and action in ("create", "update"):
        return _child_change(action, subject_id, detail, lang, tr)
    if action == "event" and subject == "case":
        definition = workflow.latest("child_protection")
        step = event_title(definition, str(detail.get("event", "")), lang, tr)
        return tr(N_("Thực hiện bước “%(step)s” của hồ sơ %(code)s")) % {
            "step": step,
            "code": subject_id,
        }
    if action == "update" and subject == "task":
        words = TASK_ANSWERS.get(str(detail.get("action")), N_("Cập nhật nhiệm vụ %(task)s"))
        return tr(words) % {"task": task}
    if action == "update" and subject == "escalation":
        words = ESCALATION_ACTIONS.get(str(detail.get("action")), N_("Cập nhật %(item)s"))
        return tr(words) % {"item": item}
    if action == "update" and subject == "case":
        words = OWNER_CHANGES.get(str(detail.get("action")), N_("Cập nhật hồ sơ %(code)s"))
        return tr(words) % {
            "code": subject_id,
            "user": _user(str(detail.get("to_user_id")), people, tr),
        }
    if action == "update" and subject == "child_register":
        words = REGISTER_CHANGES.get(str(detail.get("action")), N_("Sửa sổ trẻ em số %(id)s"))
        return tr(words) % {"id": subject_id}
    if action == "update" and subject == "village_review":
        words = REVIEW_CHANGES.get(str(detail.get("action")), N_("Cập nhật đợt rà soát số %(id)s"))
        return tr(words) % {"id": subject_id, "item": detail.get("item", "?")}
    if action == "create" and subject == "review_quarter":
        return tr(N_("Tổng hợp rà soát quý %(quarter)s")) % {"quarter": subject_id}
    if action == "update" and subject == "commune_calendar":
        words = CALENDAR_CHANGES.get(str(detail.get("action")), N_("Sửa lịch làm việc của xã"))
        day = str(detail.get("day") or "")
        shown = "/".join(reversed(day.split("-"))) if day else "?"
        return tr(words) % {"day": shown}
    if action == "update" and subject == "agency":
        return tr(N_("Sửa thư điện tử và số điện thoại của cơ quan số %(id)s")) % {"id": subject_id}
    if subject == "import_job" and action in ("create", "update", "export"):
        key = action if action != "update" else str(detail.get("action", "done"))
        words = IMPORT_WORDS.get(key, IMPORT_WORDS["done"])
        counts = {name: detail.get(name, 0) for name in ("created", "linked", "groups", "skipped")}
        return tr(words) % {"id": subject_id, **counts}
    if action == "export" and subject in REPORT_EXPORTS:
        return tr(REPORT_EXPORTS[subject]) % {"id": subject_id}
    if action == "update" and subject == "periodic_report":
        words = REPORT_STEPS.get(str(detail.get("step")), N_("Cập nhật báo cáo số %(id)s"))
        return tr(words) % {"id": subject_id}
    if action == "create" and subject == "periodic_report":
        return tr(N_("Mở báo cáo đột xuất số %(id)s")) % {"id": subject_id}
    if action == "update" and subject == "child_population":
        return tr(N_("Sửa số trẻ em của xã năm %(year)s")) % {"year": detail.get("year", "?")}
    if action == "update" and subject == "report_schedule":
        return tr(N_("Sửa lịch báo cáo của xã"))
    if action == "export" and subject in EXPORTS:
        return tr(EXPORTS[subject]) % {"rows": detail.get("rows", 0)}
    if action == "export":
        return tr(N_("Tải về nhật ký truy cập (tệp CSV)"))
    if action == "login":
        return tr(N_("Đăng nhập"))
    if action == "logout":
        return tr(N_("Đăng xuất"))
    if action == "failed_login":
        return tr(N_("Đăng nhập"))
    if action == "token_use":
        if entry.outcome != "ok":
            return tr(N_("Dùng một token API không có trong hệ thống"))
        return tr(N_("Dùng token API số %(id)s")) % {"id": subject_id}
    if action == "permission_denied":
        attempt = tr(ATTEMPTS.get(str(detail.get("action")), N_("làm một việc")))
        target = _target(subject, subject_id, tr)
        return tr(N_("Thử %(attempt)s%(target)s")) % {"attempt": attempt, "target": target}
    if action == "account":
        change = str(detail.get("change", ""))
        words = ACCOUNT_CHANGES.get(change, N_("Thay đổi tài khoản %(user)s"))
        said = tr(words) % {"user": user}
        if change == "user_created" and detail.get("role") in Role.__members__:
            said += f" ({label(Role(str(detail['role'])), lang)})"
        return said
    return f"{action} {subject} {subject_id or ''}".strip()


def _child_change(
    action: str, subject_id: str | None, detail: dict[str, Any], lang: Lang, tr: Translate
) -> str:
    """A child registered or corrected: the fields by their labels, never their values."""
    fields = detail.get("fields") if isinstance(detail.get("fields"), list) else []
    named = ", ".join(field_label(str(name), lang) for name in fields)
    if action == "create":
        said = tr(N_("Đăng ký trẻ em số %(id)s vào sổ trẻ em")) % {"id": subject_id}
        if detail.get("not_duplicate_of"):
            others = ", ".join(str(other) for other in detail["not_duplicate_of"])
            said += tr(N_(" (xác nhận không phải trẻ số %(others)s)")) % {"others": others}
        return said
    if not named:
        return tr(N_("Lưu thông tin trẻ em số %(id)s, không thay đổi gì")) % {"id": subject_id}
    return tr(N_("Sửa thông tin trẻ em số %(id)s: %(fields)s")) % {
        "id": subject_id,
        "fields": named,
    }


def _cleaning(action: str, subject_id: str | None, detail: dict[str, Any], tr: Translate) -> str:
    key = str(detail.get("action")) if action == "update" else action
    if action == "view" and subject_id is None:
        key = "list"
    listed = detail.get("loops") or []
    return tr(CLEANING.get(key, CLEANING["view"])) % {
        "id": subject_id,
        "child": detail.get("child", "?"),
        "count": len(listed) if isinstance(listed, list) else 0,
    }


def _target(subject: str, subject_id: str | None, tr: Translate) -> str:
    if not subject or not subject_id:
        return ""
    if subject == "case":
        return " " + subject_id
    if subject == "child":
        return tr(N_(": trẻ em số %(id)s trong sổ trẻ em")) % {"id": subject_id}
    if subject == "import_job":
        return tr(N_(": lần nhập danh sách trẻ em số %(id)s")) % {"id": subject_id}
    if subject == "task":
        return tr(N_(": nhiệm vụ số %(id)s")) % {"id": subject_id}
    if subject == "escalation":
        return tr(N_(": việc số %(id)s cần lãnh đạo xử lý")) % {"id": subject_id}
    return f": {subject} {subject_id}"


def _outcome(entry: AuditEntry, detail: dict[str, Any], tr: Translate) -> str:
    if entry.outcome == "ok":
        return ""
    said = tr(OUTCOMES.get(entry.outcome, N_("Không thành công")))
    reason = REASONS.get(str(detail.get("reason")))
    return f"{said}: {tr(reason)}" if reason else said


def _where(entry: AuditEntry, tr: Translate) -> str:
    how = tr(N_("qua token API")) if entry.token_id else ""
    if entry.user_agent == "casework-cli":
        how = tr(N_("trên máy chủ"))
    return " · ".join(part for part in (entry.ip or "", how) if part)
