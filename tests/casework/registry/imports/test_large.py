"""A large list with 3 % bad rows: the dry run names every bad row, and nothing else.

20,000 rows here (a few seconds per database); ``bench/import_children.py`` imports 50,000.
"""

from __future__ import annotations

from datetime import date

from casework.registry.imports.models import ImportStatus
from tests.factories.spreadsheets import xlsx

ROWS = 20_000
FAMILY = ("Nguyễn", "Lò", "Hoàng", "Vi", "Nông", "Triệu", "Lý", "Mã", "Đinh", "Lương")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Hồng", "Kim")
GIVEN = ("An", "Bình", "Cúc", "Dũng", "Én", "Giang", "Hoa", "Khánh", "Lan", "Mai", "Ngân")


def row(n: int, bad: bool) -> list[object]:
    name = f"{FAMILY[n % 10]} {MIDDLE[(n // 10) % 8]} {GIVEN[(n // 80) % 11]}"
    year = 2009 + (n // 880) % 16
    born = "31/02/2016" if bad else date(year, 1 + n % 12, 1 + n % 28)
    village = ("Đồng Tâm", "Bản Chắt", "Nà Pàn")[n % 3]
    return [n + 1, name, born, "Nữ" if n % 2 else "Nam", "Tày", None, village, "a", None, None]


def test_every_bad_row_of_a_large_list_is_named(upload, work, job_of, client, caseworker):
    bad = {n for n in range(ROWS) if n % 33 == 7}  # 3 %
    job = job_of(upload(xlsx([row(n, n in bad) for n in range(ROWS)])))
    work()
    job = job_of(type("R", (), {"status_code": 303, "text": "",
                                "headers": {"location": f"/tre-em/nhap/{job.id}"}})())  # fmt: skip
    assert job.status == ImportStatus.checked
    assert (job.total_rows, job.error_rows, job.valid_rows) == (ROWS, len(bad), ROWS - len(bad))
    named = {line[0] for line in job.report if not line[4]}
    assert named == {n + 2 for n in bad}  # sheet rows: the header is row 1
    page = client.get(f"/tre-em/nhap/{job.id}", headers=caseworker).text
    assert f"trang này hiện 200 trên {len(job.report)} dòng báo cáo" in page
