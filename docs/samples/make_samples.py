"""Make the sample lists of docs/samples/ (run: .venv/bin/python docs/samples/make_samples.py).

``danh-sach-tre-em-mau.xlsx`` is a commune's list as it often arrives: a title above the
headings, a numbering row, dates typed three ways, and four deliberate mistakes for the
README's walk-through and the browser test (a day that does not exist, a personal id from
no province, an unknown village, a group letter the law does not have).
``danh-sach-tre-em-mau-da-sua.xlsx`` is the same list corrected. The villages are the demo
commune's (``casework/demo/data.py``).

``danh-sach-nguoi-dung-mau.xlsx`` is the people of a commune just added from the official
list, Xã Thất Khê (06040, Lạng Sơn), as its office would list them, with two mistakes (a
role the app does not have, a phone one digit short) for the README and the browser test.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
HEADINGS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân",
            "Thôn/bản", "Nhóm hoàn cảnh", "Họ tên mẹ", "Điện thoại")  # fmt: skip
ROWS = [
    ("Lò Thị Mai", date(2016, 5, 14), "Nữ", "Tày", "020316000123", "Nà Pàn", "a", "Lò Thị Hoa", "0912345678"),
    ("Hoàng Văn Bình", "14/05/2015", "Nam", "Tày", "", "Nà Nát", "i", "Hoàng Thị Lan", ""),
    ("Vi Thị Cúc", "2014-09-02", "Nữ", "Nùng", "", "Nà Pàn", "d", "Vi Thị Mến", ""),
    ("Nông Văn Dũng", "30/02/2016", "Nam", "Tày", "", "Nà Nát", "b", "", ""),
    ("Triệu Thị Én", date(2017, 1, 20), "Nữ", "Dao", "999317000456", "Nà Pàn", "", "Triệu Thị Sử", ""),
    ("Lý Văn Phúc", "3/3/2013", "Nam", "Dao", "", "Thôn Chín", "h", "", ""),
    ("Mã Thị Giang", date(2015, 11, 11), "Nữ", "Tày", "", "Nà Nát", "z", "Mã Thị Bích", ""),
]  # fmt: skip
FIXES = {
    3: ("Nông Văn Dũng", "28/02/2016", "Nam", "Tày", "", "Nà Nát", "b", "", ""),
    4: ("Triệu Thị Én", date(2017, 1, 20), "Nữ", "Dao", "020317000456", "Nà Pàn", "", "Triệu Thị Sử", ""),
    5: ("Lý Văn Phúc", "3/3/2013", "Nam", "Dao", "", "Nà Pàn", "h", "", ""),
    6: ("Mã Thị Giang", date(2015, 11, 11), "Nữ", "Tày", "", "Nà Nát", "k", "Mã Thị Bích", ""),
}  # fmt: skip


def write(path: Path, rows: list[tuple[object, ...]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range(0, 0, 0, len(HEADINGS) - 1, "DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT", bold)
    sheet.write_row(2, 0, HEADINGS, bold)
    sheet.write_row(3, 0, [f"({n})" for n in range(1, len(HEADINGS) + 1)])
    for index, row in enumerate(rows):
        r = 4 + index
        sheet.write_number(r, 0, index + 1)
        for c, value in enumerate(row, start=1):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            else:
                sheet.write_string(r, c, str(value))
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 9, 16)
    book.set_properties({"created": datetime(2026, 1, 1)})  # the same bytes on every run
    book.close()


PEOPLE_HEADINGS = ("STT", "Họ và tên", "Tên đăng nhập", "Vai trò", "Cơ quan", "Số điện thoại",
                   "Email")  # fmt: skip
PEOPLE = [
    ("Hoàng Thị Hoa", "canbo.hoa.tk", "Người làm công tác bảo vệ trẻ em", "", "0912345601",
     "hoa@thatkhe.example"),
    ("Phạm Thị Lan", "pct.lan.tk", "Lãnh đạo UBND xã", "", "", "lan@thatkhe.example"),
    ("Vi Văn Hùng", "congan.hung.tk", "Cán bộ đầu mối", "Công an", "0987654302", ""),
    ("Nông Thị Mai", "yte.mai.tk", "Lãnh đạo cơ quan", "Trạm Y tế", "", "mai@thatkhe.example"),
    ("Đặng Văn Thịnh", "thinh.tk", "Giám đốc", "", "0912345603", ""),
    ("Chu Thị Linh", "tuphap.linh.tk", "Cán bộ đầu mối", "Văn phòng HĐND và UBND", "091234560",
     ""),
]  # fmt: skip


def write_people(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Người dùng")
    bold = book.add_format({"bold": True, "border": 1})
    sheet.write_row(0, 0, PEOPLE_HEADINGS, bold)
    for index, row in enumerate(PEOPLE, start=1):
        sheet.write_number(index, 0, index)
        sheet.write_row(index, 1, row)
    sheet.set_column(1, 6, 22)
    book.set_properties({"created": datetime(2026, 1, 1)})  # the same bytes on every run
    book.close()


def main() -> None:
    write_people(HERE / "danh-sach-nguoi-dung-mau.xlsx")
    write(HERE / "danh-sach-tre-em-mau.xlsx", ROWS)
    write(
        HERE / "danh-sach-tre-em-mau-da-sua.xlsx", [FIXES.get(i, row) for i, row in enumerate(ROWS)]
    )


if __name__ == "__main__":
    main()
