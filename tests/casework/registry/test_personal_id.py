"""The personal identification number's province code (Thông tư 07/2016/TT-BCA)."""

from casework.children import personal_id
from casework.children.models import Sex
from casework.text import sort_key


def test_a_number_from_no_province_is_a_problem():
    assert personal_id.problems("999316000001", sex=Sex.female, birth_year=2016) == [
        "personal_id_province"
    ]


def test_a_lang_son_number_that_agrees_with_the_record_has_no_problem():
    assert personal_id.problems("020316000001", sex=Sex.female, birth_year=2016) == []


def test_a_number_that_disagrees_with_sex_and_year_says_both():
    assert personal_id.problems("020215000001", sex=Sex.female, birth_year=2016) == [
        "personal_id_sex_mismatch",
        "personal_id_year_mismatch",
    ]


def test_the_list_order_is_given_name_first_in_the_vietnamese_alphabet():
    names = ["Vũ Văn Đạt", "Lò Văn Ân", "Hà Văn Dũng", "Phạm Thị Ăn", "Nguyễn Văn An"]
    assert sorted(names, key=sort_key) == [
        "Nguyễn Văn An",
        "Phạm Thị Ăn",
        "Lò Văn Ân",
        "Hà Văn Dũng",
        "Vũ Văn Đạt",
    ]
