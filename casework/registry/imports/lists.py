"""The lists a commune imports from spreadsheets, one pipeline for all: where each one's
pages are, who may use them, and what the pages say (Vietnamese message ids, translated in
the templates; ``done`` takes the counts created, linked and groups)."""

from __future__ import annotations

from dataclasses import dataclass

from casework.admin import people_import
from casework.agencies import contact_import
from casework.authz.policy import Action
from casework.communes import village_import
from casework.registry.imports import children
from casework.web.i18n import N_


@dataclass(frozen=True)
class ImportPages:
    """Where a target's import lives, who may use it, and what its pages say."""

    target: str
    path: str
    action: Action
    title: str
    intro: str
    done: str
    help: str | None = None
    back: tuple[str, str] | None = None  # (href, text) of the page the list belongs to


CHILDREN = ImportPages(
    children.TARGET,
    "/tre-em/nhap",
    Action.child_import,
    N_("Nhập danh sách trẻ em từ tệp"),
    intro=N_(
        "Tải lên danh sách trẻ em của xã (tệp Excel .xlsx, .xls hoặc CSV). Hệ thống kiểm tra "
        "từng dòng trước, chưa nhập gì: bạn xem các lỗi, rồi chọn nhập tất cả hoặc chỉ các "
        "dòng hợp lệ. Trẻ đã có trong danh sách (cùng số định danh, hoặc cùng họ tên, năm sinh "
        "và thôn, không phân biệt dấu) không bị thêm lần nữa."
    ),
    done=N_(
        "%(created)s trẻ mới, %(linked)s trẻ đã có trong danh sách, %(groups)s nhóm hoàn cảnh "
        "được thêm"
    ),
    help=N_(
        "Cần có cột Ngày sinh hoặc Năm sinh. Ngày ghi dạng 14/05/2016, 2016-05-14 hoặc kiểu ngày "
        "của Excel. Nhóm hoàn cảnh ghi chữ a đến o theo Điều 10 Luật Trẻ em (đ), hoặc tên nhóm; "
        "nhiều nhóm cách nhau bằng dấu phẩy."
    ),
)
PEOPLE = ImportPages(
    people_import.TARGET,
    "/quan-tri/nguoi-dung/nhap",
    Action.admin,
    N_("Nhập danh sách người dùng từ tệp"),
    intro=N_(
        "Tải lên danh sách người dùng của xã (tệp Excel .xlsx, .xls hoặc CSV). Hệ thống kiểm "
        "tra từng dòng trước, chưa tạo tài khoản nào: bạn xem các lỗi (tên đăng nhập trùng, vai "
        "trò không có, số điện thoại sai…), rồi chọn nhập tất cả hoặc chỉ các dòng hợp lệ. "
        "Không ai có mật khẩu do người khác đặt: mỗi người nhận đường dẫn kích hoạt qua thư "
        "điện tử hoặc tin nhắn và tự đặt mật khẩu."
    ),
    done=N_(
        "Đã tạo %(created)s tài khoản, %(linked)s tài khoản đã có; mỗi người mới nhận đường "
        "dẫn kích hoạt để tự đặt mật khẩu"
    ),
    help=N_(
        "Vai trò ghi như hệ thống gọi, ví dụ Người làm công tác bảo vệ trẻ em, Cán bộ đầu mối, "
        "Lãnh đạo cơ quan, Lãnh đạo UBND xã, Cộng tác viên. Cơ quan ghi tên như trang Quản trị "
        "› Cơ quan, hoặc phần đầu của tên (Công an, Trạm Y tế); người của thôn ghi tên thôn. "
        "Cán bộ đầu mối và lãnh đạo cơ quan cần cơ quan; người làm công tác bảo vệ trẻ em không "
        "ghi cơ quan thuộc Phòng Văn hóa - Xã hội. Mỗi dòng cần thư điện tử hoặc số điện thoại."
    ),
    back=("/quan-tri/nguoi-dung", N_("Người dùng")),
)
VILLAGES = ImportPages(
    village_import.TARGET,
    "/quan-tri/thon/nhap",
    Action.admin,
    N_("Nhập danh sách thôn, bản từ tệp"),
    intro=N_(
        "Tải lên danh sách thôn, bản, tổ dân phố của xã (tệp Excel .xlsx, .xls hoặc CSV), mỗi "
        "dòng một thôn. Hệ thống kiểm tra từng dòng trước: tên trùng trong tệp, hoặc trùng với "
        "thôn xã đã có khi bỏ dấu, bỏ chữ thôn, bản, được báo ra. Mỗi thôn mới được tạo cùng "
        "ban điều hành thôn; thôn đã có đúng tên đó được giữ nguyên."
    ),
    done=N_("Đã thêm %(created)s thôn cùng ban điều hành thôn, %(linked)s thôn đã có"),
    help=N_("Dòng tiêu đề cần cột “STT” (số thứ tự) và cột “Tên thôn”."),
    back=("/quan-tri/thon", N_("Thôn, bản")),
)
AGENCIES = ImportPages(
    contact_import.TARGET,
    "/quan-tri/co-quan/nhap",
    Action.admin,
    N_("Nhập liên hệ của các cơ quan từ tệp"),
    intro=N_(
        "Tải lên danh sách cơ quan của xã với thư điện tử và số điện thoại nhận nhiệm vụ (tệp "
        "Excel .xlsx, .xls hoặc CSV). Cơ quan ghi tên như trang Quản trị › Cơ quan, hoặc phần "
        "đầu của tên (Công an, Trạm Y tế); ô để trống giữ nguyên liên hệ đang có."
    ),
    done=N_("Đã thêm %(created)s trường học, cập nhật liên hệ của %(linked)s cơ quan"),
    help=N_(
        "Trường học chưa có trong danh sách của xã: ghi “Trường học” ở cột Loại, trường được "
        "thêm. Cơ quan khác đã có sẵn từ khi xã được tạo."
    ),
    back=("/quan-tri/co-quan", N_("Cơ quan")),
)
ALL_PAGES = (CHILDREN, PEOPLE, VILLAGES, AGENCIES)
