"""The outline every periodic report follows: seed 002's Phụ lục 01, "Đề cương báo cáo kết
quả công tác trẻ em 6 tháng … và phương hướng nhiệm vụ …". An agency writes the sections
its work touches; the commune's report gathers them section by section, and its document
(``casework.reports.document``) prints them under the same headings, with the figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    numeral: str  # I, II, III, IV
    title: str
    sections: tuple[tuple[str, str], ...]  # (key, heading)


OUTLINE = (
    Part(
        "I",
        "Đặc điểm tình hình",
        (
            (
                "situation",
                "Tình hình kinh tế - xã hội tác động đến trẻ em, tình hình trẻ em "
                "và công tác trẻ em tại địa phương",
            ),
            (
                "open_issues",
                "Những vấn đề trẻ em và công tác trẻ em phát sinh hoặc chưa được giải quyết",
            ),
        ),
    ),
    Part(
        "II",
        "Kết quả thực hiện",
        (
            ("direction", "Công tác tham mưu, chỉ đạo, giám sát, đánh giá thực hiện quyền trẻ em"),
            ("protection", "Công tác bảo vệ trẻ em (ở 3 cấp độ)"),
            ("care", "Công tác chăm sóc trẻ em"),
            ("education", "Công tác giáo dục trẻ em"),
            ("culture", "Công tác văn hóa, thông tin, thể thao, du lịch cho trẻ em"),
            ("participation", "Thực hiện quyền tham gia của trẻ em"),
            (
                "projects",
                "Kết quả các dự án, chương trình, mô hình hợp tác quốc tế hoặc vận động xã hội",
            ),
            ("fund", "Hoạt động của Quỹ Bảo trợ trẻ em"),
            ("spending", "Tổng kinh phí đầu tư cho công tác trẻ em trong kỳ"),
        ),
    ),
    Part(
        "III",
        "Đánh giá kết quả đạt được",
        (
            ("comparison", "So sánh kết quả, hiệu quả so với cùng kỳ năm trước"),
            ("shortcomings", "Những tồn tại, hạn chế"),
            (
                "causes",
                "Nguyên nhân của tồn tại, hạn chế (quản lý nhà nước, phối hợp liên "
                "ngành, tác động khách quan, ...)",
            ),
        ),
    ),
    Part(
        "IV",
        "Kế hoạch và phương hướng nhiệm vụ kỳ tới",
        (
            ("goal", "Mục tiêu chung"),
            ("objectives", "Các mục tiêu cụ thể"),
            ("targets", "Các chỉ tiêu cần đạt"),
            (
                "activities",
                "Nội dung các chương trình, đề án, hoạt động trọng tâm và các mô "
                "hình tiếp tục thực hiện",
            ),
        ),
    ),
)
SECTION_KEYS = tuple(key for part in OUTLINE for key, _ in part.sections)
HEADINGS = {key: heading for part in OUTLINE for key, heading in part.sections}
SECTION_MAX = 10_000  # characters per section
