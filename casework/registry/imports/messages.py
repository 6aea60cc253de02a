"""The import's own messages (the file's problems and the rows'), in Vietnamese and
English; the rules shared with intake keep intake's words (``casework.messages``)."""

from __future__ import annotations

from typing import Any

from casework import messages
from casework.base import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # the file
    "import_file_empty": ("Tệp trống: chọn tệp danh sách có dữ liệu", "The file is empty"),
    "import_file_too_large": (
        "Tệp lớn hơn {limit}: chia danh sách thành nhiều tệp nhỏ hơn",
        "The file is larger than {limit}: split the list into smaller files",
    ),
    "import_file_encrypted": (
        "Tệp đang được đặt mật khẩu: mở tệp bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ "
        "sổ làm việc) rồi tải lên lại",
        "The file is protected with a password: open it in Excel, remove the password and "
        "upload it again",
    ),
    "import_file_corrupt": (
        "Không đọc được tệp: tệp bị hỏng hoặc không phải tệp Excel. Mở tệp bằng Excel, lưu "
        "lại dạng .xlsx rồi tải lên lại",
        "The file cannot be read: it is damaged or not an Excel file. Open it in Excel, save "
        "it as .xlsx and upload it again",
    ),
    "import_file_kind": (
        "Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV",
        "Only Excel (.xlsx, .xls) or CSV files can be imported",
    ),
    "import_csv_encoding": (
        "Tệp CSV phải lưu bằng bảng mã UTF-8 (trong Excel: Lưu thành > CSV UTF-8)",
        "A CSV file must be saved as UTF-8 (in Excel: Save as > CSV UTF-8)",
    ),
    "import_file_no_rows": ("Tệp không có trang tính nào", "The file has no sheet"),
    "import_no_header": (
        "Không tìm thấy dòng tiêu đề cột (ví dụ {examples}, và “STT”) trong 30 dòng đầu của "
        "trang tính thứ nhất",
        "No row of column headings (such as {examples}, and “STT”) in the first 30 rows of "
        "the first sheet",
    ),
    "import_no_data": ("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề", "No data rows"),
    "import_missing_columns": (
        "Tệp thiếu cột: {columns}. Chọn cột tương ứng bên dưới, hoặc thêm cột vào tệp",
        "Columns missing: {columns}. Choose the matching columns below, or add them to the file",
    ),
    "import_already_done": (
        "Tệp này đã được nhập vào ngày {when} (lần nhập số {job}): nhập lại không thay đổi gì",
        "This file was already imported on {when} (import {job}): importing it again changes "
        "nothing",
    ),
    "import_conflict": (
        "Dữ liệu vừa được người khác thay đổi trong lúc nhập, nên chưa nhập gì: kiểm tra lại tệp",
        "The data changed while importing, so nothing was imported: check the file again",
    ),
    "import_unexpected": (
        "Có lỗi khi xử lý tệp, chưa nhập gì. Thử lại; nếu vẫn lỗi, báo cho quản trị hệ thống",
        "Something went wrong; nothing was imported. Try again, or tell the administrator",
    ),
    "import_choose_file": ("Chọn tệp danh sách để tải lên", "Choose the file to upload"),
    # a row
    "import_date": (
        "{label_cap} “{value}” không phải là ngày: ghi dạng ngày/tháng/năm, ví dụ 14/05/2016",
        "{label_cap} “{value}” is not a date: write day/month/year, e.g. 14/05/2016",
    ),
    "import_date_unreal": (
        "{label_cap} “{value}” không có thật trên lịch",
        "{label_cap} “{value}” is not a real day",
    ),
    "import_year": (
        "{label_cap} “{value}” không phải là năm: ghi 4 chữ số, ví dụ 2016",
        "{label_cap} “{value}” is not a year: write 4 digits, e.g. 2016",
    ),
    "import_sex": (
        "Giới tính “{value}”: ghi Nam hoặc Nữ",
        "Sex “{value}”: write Nam (male) or Nữ (female)",
    ),
    "import_group": (
        "Nhóm hoàn cảnh “{value}” không có trong Luật Trẻ em Điều 10: ghi chữ a đến o (đ) "
        "hoặc tên nhóm, ví dụ “b” hoặc “Bị bỏ rơi”",
        "Group “{value}” is not one of Luật Trẻ em Article 10: write a letter a to o (đ) or "
        "the group's name",
    ),
    "import_birth_required": ("Nhập ngày sinh hoặc năm sinh", "Enter a date or year of birth"),
    "import_birth_year_mismatch": (
        "Năm sinh {year} khác với ngày sinh {date}",
        "Birth year {year} differs from the date of birth {date}",
    ),
    "import_personal_id_other_child": (
        "Số định danh cá nhân này đã thuộc một trẻ khác trong hệ thống: kiểm tra lại số",
        "This personal identification number belongs to another child: check it",
    ),
    "import_duplicate_row": (
        "Dòng này trùng với dòng {first} của tệp (cùng tên, năm sinh và thôn, hoặc cùng số "
        "định danh)",
        "This row repeats row {first} of the file (same name, birth year and village, or the "
        "same personal id)",
    ),
    "import_ambiguous": (
        "Danh sách đã có {count} trẻ cùng tên, năm sinh và thôn: ghi số định danh cá nhân "
        "để biết là trẻ nào",
        "The register has {count} children with this name, birth year and village: add the "
        "personal id to tell which",
    ),
    "import_existing": (
        "Đã có trong danh sách: không thay đổi thông tin của trẻ",
        "Already in the register: the child's record is not changed",
    ),
    "import_existing_groups": (
        "Đã có trong danh sách: không thay đổi thông tin của trẻ; thêm nhóm {groups}",
        "Already in the register: the record is not changed; group {groups} added",
    ),
    # a row of a list of people (casework.admin.people_import)
    "import_role": (
        "Vai trò “{value}” không có: ghi một trong Người làm công tác bảo vệ trẻ em, Cán bộ "
        "đầu mối, Lãnh đạo cơ quan, Lãnh đạo UBND xã, Cộng tác viên, Kiểm tra nhật ký, Quản "
        "trị hệ thống",
        "Role “{value}” does not exist: write one of the roles as the app names them, e.g. "
        "Cán bộ đầu mối",
    ),
    "import_agency_unknown": (
        "Xã không có cơ quan “{value}”: ghi tên cơ quan như trang Quản trị › Cơ quan",
        "The commune has no agency “{value}”: write its name as Administration › Agencies does",
    ),
    "import_agency_ambiguous": (
        "Nhiều cơ quan của xã có tên bắt đầu bằng “{value}”: ghi đủ tên cơ quan",
        "Several of the commune's agencies begin with “{value}”: write the agency's full name",
    ),
    "import_agency_and_village": (
        "Cơ quan và thôn khác nhau: người của thôn thuộc ban điều hành thôn, bỏ trống cột cơ quan",
        "The agency and the village differ: a village's person belongs to its board; leave the "
        "agency empty",
    ),
    "import_village_no_board": (
        "Thôn chưa có ban điều hành thôn: thêm ở Quản trị › Thôn, bản",
        "The village has no board yet: add it at Administration › Villages",
    ),
    "import_duplicate_village": (
        "Thôn này trùng với dòng {first} của tệp (cùng tên khi bỏ dấu, bỏ chữ thôn, bản)",
        "This village repeats row {first} of the file (the same name without accents or "
        "the word thôn/bản)",
    ),
    "import_village_existing": (
        "Xã đã có {existing}: giữ nguyên",
        "The commune has {existing} already: left as it is",
    ),
    "import_agency_kind": (
        "Loại “{value}”: chỉ ghi “Trường học” cho trường chưa có, hoặc để trống",
        "Kind “{value}”: write “Trường học” for a school to add, or leave it empty",
    ),
    "import_agency_unknown_school": (
        "Xã không có cơ quan “{value}”: ghi tên như trang Quản trị › Cơ quan; trường học mới "
        "ghi “Trường học” ở cột Loại",
        "The commune has no agency “{value}”: write its name as Administration › Agencies "
        "does; for a new school write “Trường học” under Loại",
    ),
    "import_duplicate_agency": (
        "Cơ quan này đã có ở dòng {first} của tệp",
        "This agency is already on row {first} of the file",
    ),
    "import_person_existing": (
        "Đã có tài khoản này (lần nhập trước): không tạo lại, không thay đổi",
        "This account exists already (an earlier import): not made again, not changed",
    ),
    "import_duplicate_username": (
        "Tên đăng nhập trùng với dòng {first} của tệp",
        "This username repeats row {first} of the file",
    ),
}


def say(code: str, lang: Lang, *, label: str, params: dict[str, Any]) -> str:
    """A message of the import, or of the rules it shares with intake."""
    if code == "import_existing" and params.get("groups"):
        code = "import_existing_groups"
    if code in MESSAGES:
        vi, en = MESSAGES[code]
        values = dict(params)
        values.setdefault("label", label)
        values["label_cap"] = label[:1].upper() + label[1:]
        try:
            return (vi if lang == "vi" else en).format(**values)
        except KeyError:
            return vi if lang == "vi" else en
    return messages.render(code, lang, label=label, params=params)
