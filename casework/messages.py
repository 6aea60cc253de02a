"""The words of every error message, in Vietnamese and English, and the fields they name.

Wording follows UX.md: an empty field gets an instruction ("Nhập …"), a wrong value a
description of what is right; no "không hợp lệ", no "vui lòng". Templates take the
field's label as ``{label}``; pydantic's own context (``max_length``, ``expected``…)
fills the rest.
"""

from __future__ import annotations

from typing import Any

from casework.base import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # setting up a commune from the official list (casework commune …)
    "official_unit_unknown": (
        "Mã {code} không có trong danh mục xã, phường, đặc khu (từ 01/07/2025): ghi mã "
        "5 chữ số của Cục Thống kê, ví dụ 06040 là xã Thất Khê",
        "{code} is not on the official list of communes, wards and special zones (since "
        "1 July 2025): give the statistics office's 5-digit code, e.g. 06040",
    ),
    "official_province_unknown": (
        "Mã tỉnh {code} không có trong danh mục 34 tỉnh, thành phố: ghi 2 chữ số, ví dụ 20 "
        "là Lạng Sơn",
        "{code} is not one of the 34 provinces' codes: give 2 digits, e.g. 20 (Lạng Sơn)",
    ),
    "official_unit_other_province": (
        "{name} (mã {code}) thuộc {province}, không thuộc tỉnh bạn quản trị",
        "{name} ({code}) is in {province}, not in the province you administer",
    ),
    "init_province_or_commune": (
        "Ghi --province (mã tỉnh: quản trị cấp tỉnh) hoặc --commune (mã xã: một xã), không "
        "ghi cả hai",
        "Give --province (a province's administrator) or --commune (one commune), not both",
    ),
    "role_of_a_province": (
        "Quản trị cấp tỉnh không thuộc một xã: tạo bằng lệnh casework init --province",
        "A province administrator belongs to no commune: create one with casework init --province",
    ),
    "commune_already_added": (
        "{name} (mã {code}) đã có trong hệ thống",
        "{name} ({code}) is already set up",
    ),
    "activation_address_required": (
        "Nhập thư điện tử hoặc số điện thoại: đường dẫn kích hoạt tài khoản được gửi tới đó",
        "Enter an e-mail or a phone: the account's activation link is sent there",
    ),
    "activation_unknown": (
        "Đường dẫn kích hoạt không đúng: mở lại đường dẫn trong tin nhắn, hoặc nhờ quản trị "
        "viên của xã gửi đường dẫn mới",
        "This activation link is not right: open the link in the message again, or ask the "
        "commune's administrator for a new one",
    ),
    "activation_used": (
        "Đường dẫn này đã được dùng để đặt mật khẩu: đăng nhập bằng tên đăng nhập và mật "
        "khẩu của bạn",
        "This link has already been used to set a password: log in with your username and password",
    ),
    "activation_replaced": (
        "Đã có đường dẫn kích hoạt mới hơn: dùng đường dẫn trong tin nhắn mới nhất",
        "A newer activation link was sent: use the one in the latest message",
    ),
    "activation_expired": (
        "Đường dẫn kích hoạt đã hết hạn: nhờ quản trị viên của xã gửi đường dẫn mới",
        "This activation link has expired: ask the commune's administrator for a new one",
    ),
    "handover_person_unknown": (
        "Chọn người bàn giao trong danh sách người của xã",
        "Choose the person handing over from the commune's people",
    ),
    "handover_colleague_unfit": (
        "Chọn người nhận bàn giao: một người khác của xã, tài khoản đang dùng",
        "Choose who takes over: another person of the commune with an active account",
    ),
    "handover_not_an_owner": (
        "{name} không phụ trách hồ sơ được: chọn người làm công tác bảo vệ trẻ em hoặc lãnh đạo "
        "UBND xã",
        "{name} cannot own cases: choose a caseworker or the commune's leadership",
    ),
    "school_exists": (
        "Xã đã có {existing}: tên này trùng khi bỏ dấu. Kiểm tra lại tên",
        "The commune already has {existing}: this name is the same without accents",
    ),
    "lead_office_needed": (
        "Phòng Văn hóa - Xã hội dẫn dắt mọi hồ sơ: xã phải còn một phòng đang hoạt động",
        "The culture and social office leads every case: the commune must keep one active",
    ),
    "agency_has_tasks": (
        "Cơ quan còn {count} nhiệm vụ chưa xong: giao lại các nhiệm vụ đó trước khi ngừng "
        "hoạt động",
        "The agency still has {count} tasks to do: hand them on before retiring it",
    ),
    "village_merge_self": (
        "Chọn một thôn khác để sáp nhập vào",
        "Choose another village to merge into",
    ),
    "village_merge_live_tasks": (
        "Ban điều hành {village} còn {count} nhiệm vụ chưa xong: hoàn thành hoặc giao lại "
        "trước khi sáp nhập",
        "{village}'s board still has {count} tasks to do: finish or hand them on before merging",
    ),
    "village_merge_open_review": (
        "{village} đang có đợt rà soát chưa đóng: đóng đợt rà soát trước khi sáp nhập",
        "{village} has a review not yet closed: close it before merging",
    ),
    "village_exists": (
        "Xã đã có {existing}: tên này trùng khi bỏ dấu, bỏ chữ thôn, bản. Kiểm tra lại tên",
        "The commune already has {existing}: this name is the same without accents or the "
        "word thôn/bản. Check the name",
    ),
    "case_prefix_format": (
        "Tiền tố mã hồ sơ gồm 2 đến 8 chữ cái in hoa hoặc chữ số, bắt đầu bằng chữ, ví dụ TK",
        "A case-code prefix is 2 to 8 capital letters or digits, starting with a letter",
    ),
    "case_prefix_taken": (
        "Tiền tố mã hồ sơ {prefix} đã là của xã khác: chọn tiền tố khác",
        "The case-code prefix {prefix} is another commune's: choose another",
    ),
    # structure (pydantic error types)
    "missing": ("Nhập {label}", "Enter {label}"),
    "child_required": (
        "Chọn trẻ đã có (child_id) hoặc nhập thông tin trẻ (child)",
        "Give an existing child (child_id) or the child's details (child)",
    ),
    "string_too_short": ("Nhập {label}", "Enter {label}"),
    "string_too_long": (
        "{label_cap} phải có tối đa {max_length} ký tự",
        "{label_cap} must be {max_length} characters or fewer",
    ),
    "string_type": ("{label_cap} phải là chữ", "{label_cap} must be text"),
    "string_pattern_mismatch": ("Kiểm tra lại {label}", "Check {label}"),
    "enum": ("Chọn {label} trong danh sách: {expected}", "Choose {label} from: {expected}"),
    "literal_error": (
        "Chọn {label} trong danh sách: {expected}",
        "Choose {label} from: {expected}",
    ),
    "bool_parsing": ("Chọn có hoặc không cho {label}", "Answer yes or no for {label}"),
    "bool_type": ("Chọn có hoặc không cho {label}", "Answer yes or no for {label}"),
    "int_parsing": ("{label_cap} phải là số", "{label_cap} must be a number"),
    "int_type": ("{label_cap} phải là số", "{label_cap} must be a number"),
    "int_from_float": ("{label_cap} phải là số nguyên", "{label_cap} must be a whole number"),
    "greater_than_equal": ("{label_cap} phải từ {ge} trở lên", "{label_cap} must be {ge} or more"),
    "less_than_equal": ("{label_cap} tối đa là {le}", "{label_cap} must be {le} or less"),
    "less_than": ("{label_cap} phải nhỏ hơn {lt}", "{label_cap} must be less than {lt}"),
    "greater_than": ("{label_cap} phải lớn hơn {gt}", "{label_cap} must be more than {gt}"),
    "date_parsing": (
        "{label_cap} phải là ngày theo dạng YYYY-MM-DD",
        "{label_cap} must be a date as YYYY-MM-DD",
    ),
    "date_from_datetime_parsing": (
        "{label_cap} phải là ngày theo dạng YYYY-MM-DD",
        "{label_cap} must be a date as YYYY-MM-DD",
    ),
    "date_from_datetime_inexact": (
        "{label_cap} chỉ ghi ngày, không ghi giờ",
        "{label_cap} must be a date without a time",
    ),
    "date_type": ("{label_cap} phải là ngày có thật", "{label_cap} must be a real date"),
    "datetime_parsing": (
        "{label_cap} phải là thời điểm theo dạng ISO 8601, ví dụ 2026-03-07T14:05:00+07:00",
        "{label_cap} must be an ISO 8601 time, e.g. 2026-03-07T14:05:00+07:00",
    ),
    "datetime_from_date_parsing": (
        "{label_cap} phải là thời điểm theo dạng ISO 8601, ví dụ 2026-03-07T14:05:00+07:00",
        "{label_cap} must be an ISO 8601 time, e.g. 2026-03-07T14:05:00+07:00",
    ),
    "datetime_type": (
        "{label_cap} phải là thời điểm theo dạng ISO 8601",
        "{label_cap} must be an ISO 8601 time",
    ),
    "timezone_aware": (
        "{label_cap} phải ghi múi giờ, ví dụ +07:00",
        "{label_cap} must include its time zone offset, e.g. +07:00",
    ),
    "too_short": ("Chọn ít nhất một {label}", "Choose at least one {label}"),
    "too_long": ("Chỉ chọn tối đa {max_length} {label}", "Choose at most {max_length} {label}"),
    "list_type": ("{label_cap} phải là một danh sách", "{label_cap} must be a list"),
    "model_type": ("{label_cap} phải là một đối tượng JSON", "{label_cap} must be a JSON object"),
    "model_attributes_type": (
        "{label_cap} phải là một đối tượng JSON",
        "{label_cap} must be a JSON object",
    ),
    "dict_type": ("{label_cap} phải là một đối tượng JSON", "{label_cap} must be a JSON object"),
    "extra_forbidden": (
        "Trường “{field_name}” không có trong mẫu tiếp nhận; kiểm tra lại tên trường",
        "“{field_name}” is not a field of this form; check its name",
    ),
    "json_invalid": (
        "Nội dung gửi lên không phải JSON đúng cú pháp",
        "The request body is not valid JSON",
    ),
    "value_error": ("Kiểm tra lại {label}: {detail}", "Check {label}: {detail}"),
    # a web form's own wording (a missing choice, a date typed in three fields)
    "choice_missing": ("Chọn {label}", "Choose the {label}"),
    "yes_no_missing": (
        "Chọn “Có” nếu {label}, nếu không chọn “Không”",
        "Choose “Yes” if {label}, otherwise “No”",
    ),
    "date_part_missing": ("{label_cap} phải có {part}", "{label_cap} must include {part_en}"),
    "assessment_empty": (
        "Ghi ít nhất một mục của đánh giá (a–h)",
        "Fill in at least one item of the assessment (a–h)",
    ),
    # field rules of our own
    "phone_invalid": (
        "{label_cap} phải là số điện thoại Việt Nam, ví dụ số di động 10 chữ số bắt đầu bằng 0",
        "{label_cap} must be a Vietnamese phone number, e.g. a 10-digit mobile starting with 0",
    ),
    "personal_id_format": (
        "Số định danh cá nhân phải có đúng 12 chữ số",
        "The personal identification number must be exactly 12 digits",
    ),
    "personal_id_century": (
        "Số định danh cá nhân có chữ số thứ 4 là {digit}: chỉ dùng cho người sinh trước năm 2000 "
        "hoặc sau năm 2099, không thể là trẻ em",
        "Digit 4 of the personal identification number is {digit}, which means born before "
        "2000 or after 2099: not a child",
    ),
    "personal_id_province": (
        "Số định danh cá nhân bắt đầu bằng {code}: không phải mã tỉnh, thành phố nơi đăng ký "
        "khai sinh nào (3 chữ số đầu, ví dụ 020 là Lạng Sơn)",
        "The personal identification number starts with {code}, which is no province's "
        "birth-registration code (the first 3 digits, e.g. 020 for Lạng Sơn)",
    ),
    "personal_id_sex_mismatch": (
        "Số định danh cá nhân ghi giới tính {id_sex}, nhưng hồ sơ ghi {record_sex}",
        "The personal identification number says {id_sex_en}, the record says {record_sex_en}",
    ),
    "personal_id_year_mismatch": (
        "Số định danh cá nhân ghi năm sinh {id_year}, nhưng hồ sơ ghi {record_year}",
        "The personal identification number says born {id_year}, the record says {record_year}",
    ),
    "personal_id_other_child": (
        "Số định danh cá nhân này đã thuộc một trẻ khác (mã trẻ {child_id}); kiểm tra lại số "
        "hoặc gửi child_id",
        "This personal identification number belongs to another child (id {child_id}); check "
        "the number or send child_id",
    ),
    "cleaning_child_or_village": (
        "Chọn một trẻ hoặc một thôn để làm sạch dữ liệu",
        "Choose one child or one village to clean the records of",
    ),
    "cleaning_child_unknown": (
        "Không có trẻ này trong sổ trẻ em của xã",
        "There is no such child in the commune's register",
    ),
    "cleaning_no_village_board": (
        "Trẻ em số {child_id} chưa có thôn, hoặc thôn chưa có ban điều hành hay cộng tác viên "
        "trên hệ thống: không có ai để xác minh tại hộ gia đình",
        "Child {child_id} has no village, or the village has no board or collaborator in "
        "the system: nobody could visit the household",
    ),
    "cleaning_no_police": (
        "Xã chưa có công an xã trên hệ thống để xác thực số định danh",
        "The commune has no police post in the system to verify the personal id",
    ),
    "cleaning_loop_not_found": (
        "Không tìm thấy việc làm sạch dữ liệu này",
        "No such data-cleaning step",
    ),
    "cleaning_step_moved_on": (
        "Việc này đã chuyển sang bước khác ({step}): có người đã làm trước",
        "This has moved on to another step ({step}): someone answered it first",
    ),
    "cleaning_record_changed": (
        "Hồ sơ trẻ đã được sửa sau khi bạn mở trang (phiên bản {version}): xem lại rồi cập nhật",
        "The child's record changed after you opened the page (version {version}): look "
        "again, then update",
    ),
    "birth_required": (
        "Nhập ngày sinh hoặc năm sinh ước tính của trẻ",
        "Enter the child's date of birth or estimated birth year",
    ),
    "birth_both": (
        "Chỉ nhập ngày sinh hoặc năm sinh ước tính, không nhập cả hai",
        "Enter the date of birth or an estimated birth year, not both",
    ),
    "date_in_future": (
        "{label_cap} phải là ngày trong quá khứ",
        "{label_cap} must be in the past",
    ),
    "time_in_future": (
        "{label_cap} không được muộn hơn thời điểm hiện tại",
        "{label_cap} cannot be later than now",
    ),
    "time_too_early": (
        "{label_cap} phải từ ngày {floor} trở đi",
        "{label_cap} must be on or after {floor}",
    ),
    "received_before_birth": (
        "{label_cap} phải từ ngày sinh của trẻ ({birth}) trở đi",
        "{label_cap} must be on or after the child's date of birth ({birth})",
    ),
    "received_before_birth_year": (
        "{label_cap} phải từ năm sinh của trẻ ({year}) trở đi",
        "{label_cap} must be in or after the child's birth year ({year})",
    ),
    "late_report_unconfirmed": (
        "Thời điểm tiếp nhận đầu tiên đã cách đây {days} ngày (quá {limit} ngày). Kiểm tra lại; "
        "nếu đúng, chọn “Báo cáo được chuyển muộn”",
        "The first receipt was {days} days ago (more than {limit}). Check it; if it is right, "
        "confirm “Report passed on late”",
    ),
    "child_too_old": (
        "Trẻ đã {age} tuổi khi tiếp nhận: hệ thống chỉ nhận trẻ dưới 18 tuổi",
        "The child was {age} when the report was received: only children under 18 are recorded",
    ),
    "child_too_old_now": (
        "Trẻ đã {age} tuổi: sổ trẻ em chỉ ghi trẻ dưới 18 tuổi; kiểm tra lại ngày sinh",
        "The child is {age}: the children register records only children under 18; check "
        "the date of birth",
    ),
    "personal_id_taken": (
        "Số định danh cá nhân này đã được ghi cho trẻ số {child_id} trong sổ trẻ em của xã; "
        "kiểm tra lại số, hoặc sửa hồ sơ của trẻ đó",
        "This personal identification number is already recorded for child {child_id} of the "
        "commune's register; check the number, or correct that child's record",
    ),
    "personal_id_taken_elsewhere": (
        "Số định danh cá nhân này đã được ghi cho một trẻ ở xã khác; kiểm tra lại số",
        "This personal identification number is already recorded for a child of another "
        "commune; check the number",
    ),
    "possible_duplicate": (
        "Sổ trẻ em của xã đã có {count} trẻ cùng tên và năm sinh gần như vậy; xem lại, nếu là "
        "trẻ khác thì xác nhận “Đây là trẻ khác, vẫn đăng ký” (confirm_not_duplicate)",
        "The commune's register already has {count} child(ren) of that name and a close birth "
        "year; check them, and if this is another child confirm it (confirm_not_duplicate)",
    ),
    "child_changed": (
        "Hồ sơ đã được {who} sửa lúc {at} ({fields}); hãy xem lại. Chưa có gì được lưu",
        "The record was changed by {who_en} at {at} ({fields_en}); check it again. Nothing "
        "was saved",
    ),
    "birth_year_range": (
        "Năm sinh ước tính phải từ {min_year} đến {max_year}",
        "The estimated birth year must be between {min_year} and {max_year}",
    ),
    "end_before_start": (
        "Ngày kết thúc phải sau ngày bắt đầu",
        "The end date must be after the start date",
    ),
    "reporter_required": (
        "Nhập họ tên hoặc số điện thoại người báo tin, hoặc chọn báo tin ẩn danh",
        "Enter the reporter's name or phone number, or mark the report anonymous",
    ),
    "reporter_anonymous_with_identity": (
        "Báo tin ẩn danh thì không ghi họ tên, số điện thoại người báo tin",
        "An anonymous report cannot carry the reporter's name or phone number",
    ),
    "child_both": (
        "Chỉ gửi child_id (trẻ đã có) hoặc child (trẻ mới), không gửi cả hai",
        "Send child_id (an existing child) or child (a new child), not both",
    ),
    "child_not_found": (
        "Không tìm thấy trẻ có mã {child_id} ở xã này",
        "No child with id {child_id} in this commune",
    ),
    # the register (casework.registry)
    "subgroup_not_in_group": (
        "Chọn nhóm nhỏ của nhóm đã chọn: {choices}",
        "Choose a sub-group of the chosen group: {choices}",
    ),
    "membership_before_birth": (
        "{label_cap} phải từ ngày sinh của trẻ ({birth}) trở đi",
        "{label_cap} must be on or after the child's date of birth ({birth})",
    ),
    "membership_end_before_start": (
        "{label_cap} phải từ ngày bắt đầu ({since}) trở đi",
        "{label_cap} must be on or after the start date ({since})",
    ),
    "membership_current": (
        "Trẻ đang thuộc nhóm này; kết thúc dòng đang có trước khi ghi một giai đoạn mới",
        "The child is in this group now; end the current entry before recording a new period",
    ),
    "membership_already_ended": (
        "Nhóm này đã được kết thúc {until} (có thể do người khác vừa lưu); tải lại trang để "
        "xem lịch sử",
        "This membership was already ended {until} (perhaps by someone else just now); reload "
        "the page to see its history",
    ),
    "membership_not_found": (
        "Không tìm thấy nhóm có mã {membership_id} của trẻ này",
        "This child has no membership with id {membership_id}",
    ),
    "support_not_found": (
        "Không tìm thấy dòng hỗ trợ có mã {support_id} của trẻ này",
        "This child has no support with id {support_id}",
    ),
    "support_already_ended": (
        "Hỗ trợ này đã được ghi kết thúc {until} (có thể do người khác vừa lưu); tải lại trang",
        "This support was already ended {until} (perhaps by someone else just now); reload",
    ),
    "proposal_not_found": (
        "Không tìm thấy đề xuất có mã {proposal_id} của trẻ này",
        "This child has no proposal with id {proposal_id}",
    ),
    "proposal_decided": (
        "Đề xuất này đã được quyết định (có thể do người khác vừa lưu); tải lại trang để xem",
        "This proposal was already decided (perhaps by someone else just now); reload to see",
    ),
    "dismiss_reason_required": (
        "Nhập lý do không đưa trẻ vào danh sách",
        "Enter why the child is not added to the list",
    ),
    "commune_not_found": (
        "Không có xã/phường mã “{commune_code}”",
        "There is no commune with code “{commune_code}”",
    ),
    "village_not_found": (
        "Xã không có thôn “{village}”. Chọn một trong: {choices}",
        "The commune has no village “{village}”. Choose one of: {choices}",
    ),
    "village_ambiguous": (
        "Xã có nhiều thôn tên “{village}”: {choices}. Ghi đủ tên thôn, ví dụ “{first}”",
        "The commune has several villages called “{village}”: {choices}. Give the full "
        "name, e.g. “{first}”",
    ),
    "duplicate_items": ("{label_cap} bị lặp: {value}", "{label_cap} is repeated: {value}"),
    "idempotency_key_reused": (
        "Idempotency-Key này đã được dùng cho một báo cáo khác; dùng khóa mới cho báo cáo mới",
        "This Idempotency-Key was used for a different report; use a new key for a new report",
    ),
    "idempotency_key_too_long": (
        "Idempotency-Key phải có từ 1 đến 255 ký tự",
        "The Idempotency-Key must be 1 to 255 characters",
    ),
    "case_not_found": ("Không tìm thấy hồ sơ {code}", "Case {code} not found"),
    "concurrent_change": (
        "Hồ sơ vừa được người khác thay đổi; tải lại để xem bản mới nhất rồi thực hiện lại",
        "Someone else changed this record just now; reload it and try again",
    ),
    # merging two records of one child (casework.registry.merge)
    "merge_same_record": (
        "Chọn hai hồ sơ khác nhau để gộp",
        "Choose two different records to merge",
    ),
    "merge_choice": (
        "Giá trị của {field_name} phải lấy từ một trong hai hồ sơ đang gộp",
        "The value of {field_name} must come from one of the two records being merged",
    ),
    "merge_field": (
        "{field_name} không phải là thông tin của hồ sơ trẻ để chọn khi gộp",
        "{field_name} is not a detail of the child's record to choose when merging",
    ),
    "merge_pick_two": (
        "Chọn đúng hai trẻ trong sổ để so sánh và gộp",
        "Choose exactly two children in the register to compare and merge",
    ),
    "merge_form": (
        "Chọn hồ sơ giữ lại và giá trị giữ lại của từng thông tin khác nhau",
        "Choose the record to keep and, for each detail that differs, the value to keep",
    ),
    "merge_refused": (
        "Không gộp được: một trong hai hồ sơ đã được gộp vào hồ sơ khác, hoặc hai hồ sơ là một",
        "Cannot merge: one of the records was already merged into another, or they are the same",
    ),
    "merge_record_changed": (
        "Một trong hai hồ sơ vừa được người khác thay đổi hoặc gộp; so sánh lại rồi gộp",
        "Someone else changed or merged one of the records just now; compare them again",
    ),
    "merge_two_open_cases": (
        "Cả hai hồ sơ đều có vụ việc đang mở ({codes}); một trẻ chỉ có một vụ việc đang mở: "
        "đóng một vụ việc (hoặc gộp nội dung vào vụ việc kia) rồi gộp hồ sơ",
        "Both records have an open case ({codes}); a child has only one open case: "
        "close one first, then merge the records",
    ),
    "merge_collision": (
        "Cả hai hồ sơ cùng có một nhóm hoàn cảnh đang theo dõi hoặc một đề xuất đang chờ "
        "cho cùng một nhóm; kết thúc một bản ghi rồi gộp lại",
        "Both records have the same group going on, or the same proposal waiting; "
        "end one of them, then merge",
    ),
    "merge_not_merged": (
        "Hồ sơ này không được gộp vào hồ sơ nào (hoặc việc gộp đã được hoàn tác)",
        "This record was not merged into another (or the merge was undone)",
    ),
    "merge_undo_id_taken": (
        "Không hoàn tác được: số định danh cá nhân của hồ sơ đã gộp nay thuộc trẻ số "
        "{child_id}; sửa số định danh của một trong hai trẻ rồi hoàn tác",
        "Cannot undo: the merged record's personal identification number now belongs to "
        "child {child_id}; correct one of the two numbers, then undo",
    ),
    "age_range": (
        "Tuổi từ ({min}) phải nhỏ hơn hoặc bằng tuổi đến ({max})",
        "The lowest age ({min}) must not be above the highest ({max})",
    ),
    # web forms: a date in three fields, radios left unanswered (UX.md §1.4, §1.5)
    "date_not_real": ("{label_cap} phải là ngày có thật", "{label_cap} must be a real date"),
    "date_year_digits": (
        "Năm của {label} phải có 4 chữ số, ví dụ 2026",
        "The year of the {label} must have 4 digits, e.g. 2026",
    ),
    "time_missing": (
        "Nhập giờ của {label}, ví dụ 14:05",
        "Enter the time of the {label}, e.g. 14:05",
    ),
    "time_not_real": (
        "Giờ của {label} phải là giờ có thật, ví dụ 14:05",
        "The time of the {label} must be a real time, e.g. 14:05",
    ),
    "danger_missing": (
        "Chọn “Có” nếu trẻ đang gặp nguy hiểm ngay lúc này",
        "Choose “Yes” if the child is in danger right now",
    ),
    "reporter_choice_missing": (
        "Chọn người báo tin có cho biết họ tên hoặc số điện thoại không",
        "Choose whether the reporter gave a name or phone number",
    ),
    "intake_sent_before": (
        "Mẫu này đã được gửi một lần với nội dung khác (có thể lần gửi trước đã tới nơi dù mạng "
        "báo lỗi). Những gì bạn nhập vẫn còn: kiểm tra lại rồi bấm “Gửi báo cáo” để gửi thành "
        "một báo cáo mới",
        "This form was already sent once with other content (the earlier attempt may have "
        "arrived although the network failed). What you typed is kept: check it, then press "
        "“Send the report” to send it as a new report",
    ),
    # the dates a plan's approval and a monitoring visit set (workflow definition's bounds)
    "due_out_of_range": (
        "{label_cap} phải từ {earliest} đến {latest}",
        "The {label} must be between {earliest} and {latest}",
    ),
    "due_in_past": (
        "{label_cap} phải từ {earliest} trở đi",
        "The {label} must be {earliest} or later",
    ),
    "review_before_visit": (
        "Ngày rà soát phải từ ngày thăm theo dõi đầu tiên trở đi",
        "The review date must be on or after the first monitoring visit",
    ),
    # Mẫu 02 and the emergency measures (casework.cases.emergency)
    "emergency_unsubstantiated": (
        "Thông tin chưa được xác minh là đúng thì không kết luận cần can thiệp khẩn cấp",
        "A report not found to be true cannot conclude that emergency protection is needed",
    ),
    "emergency_needed": (
        "Trẻ hiện chưa an toàn: chọn “Có”, trẻ cần can thiệp khẩn cấp",
        "The child is not safe now: choose “Yes”, the child needs emergency protection",
    ),
    "risk_low_in_emergency": (
        "Trẻ cần can thiệp khẩn cấp thì mức độ nguy cơ không thể là thấp",
        "A child needing emergency protection cannot be at low risk",
    ),
    "measure_undescribed": (
        "Mô tả biện pháp khác đã thực hiện",
        "Describe the other measure taken",
    ),
    # workflow
    "transition_not_allowed": (
        "Hồ sơ đang ở bước “{state_vi}”, chưa thể thực hiện “{event}”. Có thể: {allowed}",
        "The case is at “{state_en}”; “{event}” is not possible now. Possible: {allowed}",
    ),
    "guard_supervisor_only": (
        "Chỉ lãnh đạo UBND xã được thực hiện thao tác này",
        "Only the commune's supervisor may do this",
    ),
    "guard_separation_active": (
        "Trẻ đang trong thời gian cách ly tạm thời: kết thúc cách ly trước",
        "The child is still temporarily separated: end the separation first",
    ),
    "guard_no_separation": ("Trẻ không đang bị cách ly", "The child is not separated"),
    "guard_no_emergency_measures_due": (
        "Hồ sơ không có thời hạn can thiệp khẩn cấp đang chạy",
        "No emergency-protection clock is running on this case",
    ),
    "guard_alternative_care_active": (
        "Trẻ đang được chăm sóc thay thế",
        "The child is already in alternative care",
    ),
    "guard_no_alternative_care": (
        "Trẻ không đang được chăm sóc thay thế",
        "The child is not in alternative care",
    ),
    "guard_plan_without_tasks": (
        "Kế hoạch cần ít nhất một hoạt động có cơ quan thực hiện, ngày bắt đầu và ngày kết thúc",
        "The plan needs at least one task with an agency, a start and an end date",
    ),
    "guard_close_needs_stable_review": (
        "Chỉ đóng hồ sơ khi rà soát kết luận trẻ không còn nguy cơ và đã ổn định",
        "A case closes only when the review found no further risk and the child stable",
    ),
    "guard_close_not_unsubstantiated": (
        "Đánh giá ban đầu không kết luận thông tin là sai: không đóng với lý do này được",
        "The initial assessment did not find the report unsubstantiated",
    ),
    # accounts and access
    "not_authenticated": (
        "Cần đăng nhập, hoặc gửi token API (Authorization: Bearer …)",
        "Log in, or send an API token (Authorization: Bearer …)",
    ),
    "token_invalid": (
        "Token API không đúng, đã hết hạn hoặc đã bị thu hồi",
        "The API token is wrong, expired or revoked",
    ),
    "token_scope": (
        "Token API này không được cấp quyền cho thao tác này",
        "This API token is not granted this",
    ),
    "not_permitted": (
        "Tài khoản của bạn không có quyền thực hiện thao tác này",
        "Your account may not do this",
    ),
    "task_of_another_agency": (
        "Nhiệm vụ này thuộc cơ quan khác",
        "This task belongs to another agency",
    ),
    "csrf_failed": (
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Tải lại trang rồi gửi lại",
        "The form expired or is not valid. Reload the page and send it again",
    ),
    "login_failed": (
        "Tên đăng nhập hoặc mật khẩu không đúng",
        "Wrong username or password",
    ),
    "login_locked": (
        "Đăng nhập sai quá nhiều lần. Thử lại sau {minutes} phút",
        "Too many failed logins. Try again in {minutes} minutes",
    ),
    "password_too_short": (
        "Mật khẩu cần ít nhất {min_length} ký tự",
        "The password needs at least {min_length} characters",
    ),
    "password_too_common": (
        "Mật khẩu quá dễ đoán: đừng dùng tên đăng nhập, dãy số hay ký tự lặp lại",
        "The password is too easy to guess: no username, number runs or repeats",
    ),
    "password_wrong": ("Mật khẩu hiện tại không đúng", "The current password is wrong"),
    "password_mismatch": (
        "Hai lần nhập mật khẩu mới không giống nhau",
        "The two new passwords differ",
    ),
    "user_not_found": ("Không có người dùng “{username}”", "No user “{username}”"),
    "username_taken": (
        "Tên đăng nhập “{username}” đã có người dùng",
        "The username “{username}” is taken",
    ),
    "token_scope_unknown": (
        "Phạm vi token không có: {scope}. Các phạm vi: {known}",
        "Unknown token scope: {scope}. Scopes: {known}",
    ),
    "token_not_found": ("Không tìm thấy token {token_id}", "Token {token_id} not found"),
    "consent_required": (
        "Chuyển ra ngoài xã cần sự đồng ý của cha mẹ/người giám hộ và của trẻ từ đủ 7 tuổi, "
        "hoặc ghi rõ căn cứ pháp lý",
        "Referral outside the commune needs the guardian's consent and, from age 7, the "
        "child's, or a recorded legal ground",
    ),
    "task_not_found": ("Không tìm thấy nhiệm vụ {task_id}", "Task {task_id} not found"),
    "task_not_open": (
        "Nhiệm vụ {task_id} đang ở trạng thái “{status}”, không thực hiện được thao tác này",
        "Task {task_id} is “{status}”; this is not possible",
    ),
    "agency_not_found": (
        "Không có cơ quan mã {agency_id} ở xã này",
        "No agency {agency_id} in this commune",
    ),
    "agency_cannot_take_task": (
        "{agency} không nhận được nhiệm vụ này; chọn một cơ quan của xã trong danh sách",
        "{agency} cannot take this task; choose one of the commune's agencies in the list",
    ),
    # the monthly village review (casework.registry.review)
    "review_answer_missing": (
        "Chọn tình trạng của trẻ {child}",
        "Choose how {child} is now",
    ),
    "review_change_missing": (
        "Ghi rõ thay đổi của trẻ {child}",
        "Say what changed for {child}",
    ),
    "review_not_found": ("Không tìm thấy đợt rà soát này", "This review was not found"),
    "review_not_open": (
        "Đợt rà soát này đã được gửi; không sửa được nữa",
        "This review was already sent and can no longer be changed",
    ),
    "review_not_submitted": (
        "Thôn chưa gửi kết quả rà soát",
        "The village has not sent its review yet",
    ),
    "review_item_decided": (
        "Nội dung này đã được xác nhận trước đó",
        "This answer was already decided",
    ),
    "review_undecided": (
        "Còn nội dung chưa xác nhận: chọn cập nhật hoặc không cập nhật từng nội dung trước "
        "khi hoàn thành",
        "Some answers are not decided yet: apply or reject each before closing the review",
    ),
    "quarter_closed": (
        "Quý {quarter}/{year} đã được tổng hợp",
        "Quarter {quarter} of {year} is already closed",
    ),
    "quarter_waiting": (
        "Còn đợt rà soát của quý {quarter}/{year} chờ xác nhận; hoàn thành các đợt đó trước",
        "A review of quarter {quarter} of {year} waits for the caseworker; close it first",
    ),
    "day_out_of_range": (
        "Ngày phải trong khoảng từ {earliest} đến {latest}",
        "The date must be between {earliest} and {latest}",
    ),
    "day_already_listed": (
        "Ngày {day} đã có trong lịch của xã; xóa ngày đó trước nếu muốn sửa",
        "{day} is already on the commune's calendar; remove it first to change it",
    ),
    "day_off_already_off": (
        "Ngày {day} là {what_vi}, vốn đã là ngày nghỉ; chọn một ngày làm việc",
        "{day} is {what_en}, already a day off; choose a working day",
    ),
    "make_up_on_working_day": (
        "Ngày {day} là {what_vi}, vốn là ngày làm việc: ngày làm bù phải là thứ Bảy, Chủ nhật "
        "hoặc ngày nghỉ lễ",
        "{day} is {what_en}, already a working day: a make-up day must be a Saturday, a "
        "Sunday or a public holiday",
    ),
    "day_not_listed": (
        "Ngày {day} không có trong lịch của xã",
        "{day} is not on the commune's calendar",
    ),
    "escalation_not_found": (
        "Không tìm thấy việc {escalation_id} trong danh sách việc cần lãnh đạo xử lý",
        "Escalation {escalation_id} not found",
    ),
    "escalation_resolved": (
        "Việc {escalation_id} đã được lãnh đạo xử lý",
        "Escalation {escalation_id} is already resolved",
    ),
    "escalation_without_task": (
        "Việc này không gắn với nhiệm vụ nào để giao lại",
        "This escalation has no task to reassign",
    ),
    "escalation_without_deadline": (
        "Việc này không có thời hạn đang chạy để gia hạn",
        "This escalation has no running deadline to extend",
    ),
    "escalation_not_about_messages": (
        "Việc này không phải về thông báo không gửi được",
        "This escalation is not about undelivered messages",
    ),
    "missing_choice": ("Chọn {label}", "Choose {label}"),
    # who owns a case (casework.cases.assignment)
    "assign_supervisor_only": (
        "Chỉ lãnh đạo UBND xã giao hoặc đổi người phụ trách hồ sơ",
        "Only the commune's supervisor assigns or reassigns a case",
    ),
    "owner_not_eligible": (
        "Chọn một người làm công tác bảo vệ trẻ em hoặc lãnh đạo của xã đang làm việc",
        "Choose an active caseworker or supervisor of the commune",
    ),
    "owner_unchanged": (
        "Hồ sơ đang do {name} phụ trách; chọn người khác để giao lại",
        "{name} already has this case; choose someone else to reassign it",
    ),
    "case_already_owned": (
        "Hồ sơ đã có người phụ trách: {name}. Muốn đổi người, nhờ lãnh đạo UBND xã giao lại",
        "This case already has a caseworker: {name}. Ask the supervisor to reassign it",
    ),
    "case_closed_no_owner": (
        "Hồ sơ {code} đã đóng; mở lại hồ sơ trước khi giao người phụ trách",
        "Case {code} is closed; reopen it before assigning it",
    ),
    "username_invalid": (
        "Tên đăng nhập dài 3 đến 64 ký tự, chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang",
        "A username is 3 to 64 characters: letters without accents, digits, dots, dashes",
    ),
    "email_invalid": (
        "Nhập địa chỉ thư điện tử theo dạng ten@example.org",
        "Enter an e-mail address like name@example.org",
    ),
    "agency_required": (
        "Chọn cơ quan của cán bộ đầu mối hoặc lãnh đạo cơ quan",
        "Choose the agency of an agency officer or head",
    ),
    "account_disabled_no_link": (
        "Tài khoản đã bị khóa: không gửi đường dẫn đặt mật khẩu",
        "The account is disabled: no password link is sent",
    ),
    "cannot_disable_self": (
        "Bạn không thể tự khóa tài khoản của mình",
        "You cannot disable your own account",
    ),
    "time_not_in_future": (
        "Hạn mới phải sau thời điểm hiện tại",
        "The new deadline must be later than now",
    ),
    "year_out_of_range": (
        "{label_cap} phải trong khoảng năm {first} đến {last}",
        "{label_cap} must lie between the years {first} and {last}",
    ),
    "extension_too_long": (
        "Chỉ được gia hạn tối đa {days} ngày: hạn mới phải trước {latest}",
        "An extension is at most {days} days: the new deadline must be before {latest}",
    ),
    # what no request may carry (casework.web.guard)
    "body_too_large": (
        "Nội dung gửi lên quá lớn: tối đa {limit}. Gửi ít nội dung hơn rồi thử lại",
        "The request body is too large: at most {limit}. Send less and try again",
    ),
    "body_not_utf8": (
        "Nội dung gửi lên không phải văn bản UTF-8 (byte thứ {position} sai)",
        "The request body is not UTF-8 text (byte {position} is wrong)",
    ),
    "json_too_deep": (
        "Nội dung JSON lồng nhau quá sâu: tối đa {limit} tầng",
        "The JSON body is nested too deeply: at most {limit} levels",
    ),
    "text_unstorable": (
        "{label_cap} có ký tự không lưu được (ký tự NUL hoặc mã Unicode hỏng); gõ lại",
        "There is a character in {label} that cannot be stored (NUL or broken Unicode); retype it",
    ),
    # transport
    "not_found": ("Không tìm thấy trang hoặc hồ sơ này", "Not found"),
    "forbidden": ("Bạn không có quyền xem trang này", "You may not see this page"),
    "method_not_allowed": ("Không hỗ trợ thao tác này", "Method not allowed"),
    "http_error": ("Yêu cầu không thực hiện được", "The request could not be completed"),
    "internal_error": (
        "Có lỗi trong hệ thống; chưa có gì được lưu. Thử lại sau ít phút",
        "Something went wrong on our side; nothing was saved. Try again in a few minutes",
    ),
    # statistics (casework.reports)
    "period_unknown": (
        "Chọn một kỳ trong danh sách: năm, 6 tháng đầu năm hoặc 6 tháng cuối năm",
        "Choose a period from the list: a year, or its first or second half",
    ),
    "period_ends_before_it_starts": (
        "Ngày kết thúc phải sau ngày bắt đầu",
        "The last day must come after the first",
    ),
    "period_too_long": ("Chọn một kỳ không quá 5 năm", "Choose a period of 5 years at most"),
    "period_custom_both": (
        "Nhập cả ngày bắt đầu và ngày kết thúc của kỳ",
        "Enter both the first and the last day of the period",
    ),
    "statistics_village_unknown": (
        "Chọn một thôn của xã trong danh sách",
        "Choose one of the commune's villages from the list",
    ),
    "statistics_commune_unknown": (
        "Chọn một xã của tỉnh trong danh sách",
        "Choose one of the province's communes from the list",
    ),
    "population_count": (
        "Nhập số trẻ em bằng chữ số, từ 0 đến {max}",
        "Enter the number of children in figures, from 0 to {max}",
    ),
    # reports owed (casework.reports)
    "report_not_found": (
        "Không tìm thấy báo cáo số {report_id}",
        "Report {report_id} was not found",
    ),
    "report_changed": (
        "Báo cáo vừa được người khác thay đổi; chưa có gì được lưu. Mở lại trang để xem "
        "bản mới nhất rồi làm lại",
        "Someone else changed the report just now; nothing was saved. Open the page again "
        "to see the latest and try again",
    ),
    "report_step_unknown": (
        "Chọn một việc bằng các nút ở cuối trang báo cáo",
        "Choose what to do with the buttons at the end of the report's page",
    ),
    "report_not_yours": (
        "Bạn không làm được việc này với báo cáo này",
        "You cannot do this with this report",
    ),
    "section_too_long": (
        "Rút ngắn phần này xuống dưới {max} ký tự",
        "Shorten this section to under {max} characters",
    ),
    "attachment_too_big": (
        "Tệp đính kèm phải nhỏ hơn {mb} MB",
        "The attachment must be smaller than {mb} MB",
    ),
    "attachment_type": (
        "Tệp {name} không đính kèm được: chọn tệp PDF, Word, Excel hoặc ảnh JPG, PNG",
        "{name} cannot be attached: choose a PDF, Word, Excel, JPG or PNG file",
    ),
    "report_sent_note": (
        "Nhập số văn bản hoặc cách gửi (ví dụ: Công văn số 12/BC-UBND, gửi qua hệ thống "
        "văn bản điện tử)",
        "Enter the document number or how it was sent (e.g. letter 12/BC-UBND, sent "
        "through the e-documents system)",
    ),
    "schedule_due_day": (
        "Nhập ngày và tháng của hạn nộp bằng chữ số, là một ngày có thật (ví dụ 10 / 5)",
        "Enter the due day and month in figures, a day that exists (e.g. 10 / 5)",
    ),
    "schedule_lead_days": (
        "Nhập số ngày mở trước hạn, từ 1 đến 120",
        "Enter how many days before it is due it opens, from 1 to 120",
    ),
    # a problem in one row of a list on a form ("Dòng 2: nhập ngày bắt đầu")
    "in_row": ("Dòng {row}: {problem}", "Row {row}: {problem}"),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    # the register (casework.registry)
    "group": ("nhóm hoàn cảnh đặc biệt", "special-circumstance group"),
    "subgroup": ("nhóm nhỏ", "sub-group"),
    "at_risk": ("có nguy cơ", "at risk"),
    "evidence": ("căn cứ", "evidence"),
    "end_evidence": ("căn cứ kết thúc", "evidence for the end"),
    "membership_id": ("nhóm", "membership"),
    "kind": ("loại hỗ trợ", "kind of support"),
    "provider": ("đơn vị hỗ trợ", "provider"),
    "amount_vnd": ("số tiền", "amount"),
    "support_id": ("dòng hỗ trợ", "support entry"),
    "proposal_id": ("đề xuất", "proposal"),
    "decision": ("quyết định", "decision"),
    "commune_code": ("mã xã/phường", "commune code"),
    "channel": ("kênh tiếp nhận", "intake channel"),
    "first_received_at": ("thời điểm tiếp nhận đầu tiên", "first receipt time"),
    "late_report_confirmed": ("báo cáo được chuyển muộn", "report passed on late"),
    "reporter": ("người báo tin", "reporter"),
    "reporter.anonymous": ("báo tin ẩn danh", "anonymous report"),
    "reporter.name": ("họ tên người báo tin", "reporter's name"),
    "reporter.phone": ("số điện thoại người báo tin", "reporter's phone number"),
    "reporter.relation": ("quan hệ của người báo tin với trẻ", "reporter's relation to the child"),
    "child_id": ("mã trẻ", "child id"),
    "child": ("thông tin trẻ", "child's details"),
    "child.full_name": ("họ và tên của trẻ", "child's full name"),
    "child.personal_id": ("số định danh cá nhân", "personal identification number"),
    "child.date_of_birth": ("ngày sinh", "date of birth"),
    "child.birth_year_estimate": ("năm sinh ước tính", "estimated birth year"),
    "child.sex": ("giới tính", "sex"),
    "child.ethnicity": ("dân tộc", "ethnicity"),
    "child.village": ("thôn", "village"),
    "child.address": ("địa chỉ", "address"),
    "child.school_name": ("trường học", "school"),
    "child.grade": ("lớp", "grade"),
    "child.disability_level": ("mức độ khuyết tật", "disability level"),
    "child.poverty_status": ("hộ nghèo, cận nghèo", "household poverty status"),
    "child.caregivers": ("người chăm sóc", "caregivers"),
    "child.caregivers.full_name": ("họ tên người chăm sóc", "caregiver's name"),
    "child.caregivers.relation": ("quan hệ với trẻ", "relation to the child"),
    "child.caregivers.phone": ("số điện thoại người chăm sóc", "caregiver's phone number"),
    "child.circumstances": ("nhóm hoàn cảnh đặc biệt", "special-circumstance groups"),
    "child.circumstances.group": ("nhóm hoàn cảnh đặc biệt", "special-circumstance group"),
    "child.circumstances.subgroup": ("nhóm nhỏ", "sub-group"),
    "child.circumstances.since": ("ngày bắt đầu", "start date"),
    "child.circumstances.until": ("ngày kết thúc", "end date"),
    # the children register (casework.children.editing): the child's fields at the top
    "personal_id": ("số định danh cá nhân", "personal identification number"),
    "date_of_birth": ("ngày sinh", "date of birth"),
    "birth_year_estimate": ("năm sinh ước tính", "estimated birth year"),
    "sex": ("giới tính", "sex"),
    "ethnicity": ("dân tộc", "ethnicity"),
    "address": ("địa chỉ", "address"),
    "school_name": ("trường học", "school"),
    "grade": ("lớp", "grade"),
    "disability_level": ("mức độ khuyết tật", "disability level"),
    "poverty_status": ("hộ nghèo, cận nghèo", "household poverty status"),
    "caregivers": ("người chăm sóc", "caregivers"),
    "caregivers.full_name": ("họ tên người chăm sóc", "caregiver's name"),
    "caregivers.relation": ("quan hệ với trẻ", "relation to the child"),
    "caregivers.phone": ("số điện thoại người chăm sóc", "caregiver's phone number"),
    "confirm_not_duplicate": ("xác nhận đây là trẻ khác", "confirmation of another child"),
    "version": ("phiên bản hồ sơ đang xem", "the record version you saw"),
    "location": ("nơi xảy ra", "location"),
    "description": ("nội dung sự việc", "what happened"),
    "harm_forms": ("hình thức xâm hại", "form of harm"),
    "setting": ("môi trường xảy ra", "setting"),
    "perpetrator_relation": (
        "quan hệ của người bị nghi gây hại với trẻ",
        "suspected perpetrator's relation to the child",
    ),
    "child_state": ("tình trạng hiện tại của trẻ", "child's current state"),
    "immediate_danger": ("trẻ đang gặp nguy hiểm", "immediate danger"),
    "Idempotency-Key": ("Idempotency-Key", "Idempotency-Key"),
    "page": ("số trang", "page"),
    "guardian_consented": ("sự đồng ý của cha mẹ/người giám hộ", "the guardian's consent"),
    "child_consented": ("sự đồng ý của trẻ", "the child's consent"),
    "legal_ground": ("căn cứ pháp lý", "legal ground"),
    "page_size": ("số dòng mỗi trang", "page size"),
    # the forms of the workflow's events (casework.cases.events)
    "note": ("ghi chú", "note"),
    "risk_level": ("mức độ nguy cơ", "risk level"),
    "emergency": ("trẻ cần can thiệp khẩn cấp", "the child needs emergency protection"),
    "substantiated": ("thông tin đã được xác minh là đúng", "the report was found to be true"),
    "protection_level": ("cấp độ bảo vệ", "level of protection"),
    "started_at": ("thời điểm bắt đầu", "start time"),
    "ended_at": ("thời điểm kết thúc", "end time"),
    "place": ("nơi chăm sóc tạm thời", "temporary placement"),
    "arrangement": ("hình thức chăm sóc thay thế", "care arrangement"),
    "assessment": ("đánh giá nguy cơ cụ thể", "detailed assessment"),
    "tasks": ("hoạt động của kế hoạch", "plan activities"),
    "tasks.agency_id": ("cơ quan thực hiện", "responsible agency"),
    "tasks.title": ("nội dung hoạt động", "activity"),
    "tasks.starts_at": ("ngày bắt đầu", "start date"),
    "tasks.due_at": ("ngày kết thúc dự kiến", "expected end date"),
    "tasks.cost_vnd": ("kinh phí", "cost"),
    "conference_minutes": ("biên bản họp liên ngành", "case-conference minutes"),
    "reason": ("lý do", "reason"),
    "leaver_id": ("người bàn giao", "who hands over"),
    "school": ("tên trường", "the school's name"),
    "colleague_id": ("người nhận bàn giao", "who takes over"),
    "stable": ("trẻ không còn nguy cơ và đã ổn định", "the child is no longer at risk and stable"),
    "score": ("kết quả rà soát", "review score"),
    "to": ("nơi chuyển đến", "destination"),
    "visited_at": ("thời điểm thăm", "visit time"),
    "first_visit_on": ("ngày thăm theo dõi đầu tiên", "first monitoring visit date"),
    "review_on": ("ngày rà soát", "review date"),
    "next_visit_on": ("ngày thăm theo dõi tiếp theo", "next monitoring visit date"),
    "harm_found": (
        "hành vi xâm hại, tổn hại đã xảy ra hoặc có nguy cơ xảy ra",
        "the harm that happened or threatens",
    ),
    "child_safe_now": (
        "câu trả lời cho “Hiện tại trẻ có an toàn không?”",
        "an answer to “Is the child safe now?”",
    ),
    "perpetrator_has_access": (
        "câu trả lời cho “Người gây tổn hại còn tiếp cận được trẻ không?”",
        "an answer to “Can the person causing harm still reach the child?”",
    ),
    "injuries": ("thương tích, tình trạng sức khỏe của trẻ", "the child's injuries and health"),
    "caregiver_can_protect": (
        "câu trả lời cho “Cha mẹ, người chăm sóc có khả năng bảo vệ trẻ không?”",
        "an answer to “Can the parents or caregivers protect the child?”",
    ),
    "measures": ("biện pháp khẩn cấp đã thực hiện", "emergency measure taken"),
    "measures.kind": ("biện pháp", "measure"),
    "measures.description": ("mô tả biện pháp", "description of the measure"),
    "measures.by": ("người hoặc cơ quan thực hiện", "who took the measure"),
    "measures.at": ("thời điểm thực hiện", "time it was taken"),
    # the work queues and administration pages
    "outcome": ("kết quả thực hiện", "outcome"),
    "due_at": ("hạn mới", "new deadline"),
    "agency_id": ("cơ quan", "agency"),
    "caseworker_id": ("người phụ trách", "caseworker"),
    "day": ("ngày", "date"),
    "day_kind": ("loại ngày", "kind of day"),
    "expected_version": ("phiên bản hồ sơ đang xem", "the case version you saw"),
    "agency": ("cơ quan", "agency"),
    "username": ("tên đăng nhập", "username"),
    "full_name": ("họ và tên", "full name"),
    "birth_year": ("năm sinh", "birth year"),
    "answer": ("tình trạng của trẻ", "how the child is now"),
    "end_reason": ("lý do thôi hưởng", "reason the membership ends"),
    "quarter": ("quý", "quarter"),
    "year": ("năm", "year"),
    "role": ("vai trò", "role"),
    "email": ("thư điện tử", "e-mail address"),
    "phone": ("số điện thoại", "phone number"),
    "new_password": ("mật khẩu mới", "new password"),
    # the lists' filters and the ids in addresses
    "q": ("từ tìm kiếm", "search words"),
    "village": ("thôn", "village"),
    "commune": ("mã xã", "commune code"),
    "code": ("mã hồ sơ", "case code"),
    "task_id": ("mã nhiệm vụ", "task id"),
    "escalation_id": ("mã mục cần xử lý", "escalation id"),
    "user_id": ("mã người dùng", "user id"),
    "actor_id": ("mã người thực hiện", "actor id"),
    "subject_type": ("loại đối tượng", "subject type"),
    "subject_id": ("mã đối tượng", "subject id"),
    "since": ("từ ngày", "from"),
    "until": ("đến ngày", "until"),
    "password": ("mật khẩu", "password"),
    "confirm_password": ("mật khẩu nhập lại", "repeated password"),
    # the register's filters and merging two records (casework.registry)
    "age_min": ("tuổi từ", "lowest age"),
    "age_max": ("tuổi đến", "highest age"),
    "support": ("hỗ trợ", "support"),
    "keep_id": ("hồ sơ giữ lại", "record kept"),
    "other_id": ("hồ sơ gộp vào", "record merged"),
    "keep_version": ("phiên bản hồ sơ giữ lại", "version of the record kept"),
    "other_version": ("phiên bản hồ sơ gộp vào", "version of the record merged"),
    "take": ("giá trị chọn giữ", "values chosen"),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


DATE_PARTS = frozenset({"day", "month", "year", "time"})


def field_label(path: str | None, lang: Lang) -> str:
    if not path:
        return "nội dung" if lang == "vi" else "the request"
    base, _, last = path.rpartition(".")
    if base and last in DATE_PARTS:  # one input of a date typed in parts: the date's label
        path = base
    labels = FIELD_LABELS.get(path) or FIELD_LABELS.get(path.rsplit(".", 1)[-1])
    if labels is None:
        return path
    return labels[0] if lang == "vi" else labels[1]


def render(message_code: str, lang: Lang, *, label: str, params: dict[str, Any]) -> str:
    """The message for ``message_code`` in ``lang``; unknown codes fall back to "check this"."""
    vi, en = MESSAGES.get(message_code, MESSAGES["value_error"])
    template = vi if lang == "vi" else en
    values = _Blank(params)
    values["label"] = label
    values["label_cap"] = label[:1].upper() + label[1:]
    if "expected" in params:
        values["expected"] = str(params["expected"]).replace("'", "")
    return template.format_map(values)
