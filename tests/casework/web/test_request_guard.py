"""What no request may carry: a body over the limit (413), JSON that is not UTF-8 or is
nested too deeply, and characters no database column can hold (NUL), each answered in the
one error shape (or a page, for a browser) saying what is wrong, never a generic 400."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from casework.app import create_app
from tests.conftest import make_test_settings
from tests.factories.intakes import intake_payload

LIMIT = 4096


@pytest.fixture
def small(session_factory, clock) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The app with a 4 KiB body limit."""
    app = create_app(
        make_test_settings(max_body_bytes=LIMIT), session_factory=session_factory, clock=clock
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def only_error(response) -> dict:  # type: ignore[no-untyped-def]
    [error] = response.json()["detail"]
    return error


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(small):
    response = small.post(
        "/api/v1/intakes",
        content=b"{" + b" " * LIMIT + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    error = only_error(response)
    assert error["type"] == "body_too_large"
    assert error["msg_vi"] == (
        "Nội dung gửi lên quá lớn: tối đa 4 KiB. Gửi ít nội dung hơn rồi thử lại"
    )
    assert error["msg_en"].startswith("The request body is too large: at most 4 KiB")
    within = small.post("/api/v1/intakes", content=b"{" + b" " * (LIMIT - 2) + b"}")
    assert within.status_code == 401  # to the authentication, past the guard


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(small):
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            sent.append(1)
            yield b" " * 1000

    response = small.post(
        "/api/v1/intakes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert only_error(response)["type"] == "body_too_large"


def test_a_browser_sending_too_much_gets_a_page(small):
    response = small.post(
        "/bao-cao/moi",
        data={"description": "x" * LIMIT},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 413
    assert '<html lang="vi"' in response.text
    assert "Nội dung gửi lên quá lớn" in response.text
    assert "tối đa 4 KiB" in response.text


def test_json_that_is_not_utf8_is_named(client, world, act_as):
    act_as("td.caseworker")
    response = client.post(
        "/api/v1/intakes",
        content='{"description": "Trẻ bị đánh"}'.encode("utf-16"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = only_error(response)
    assert error["type"] == "body_not_utf8"
    assert error["msg_vi"].startswith("Nội dung gửi lên không phải văn bản UTF-8")
    assert error["msg_en"].startswith("The request body is not UTF-8 text")
    latin1 = client.post(
        "/api/v1/intakes",
        content='{"description": "Lò Văn Tính"}'.encode("latin-1", "replace"),
        headers={"Content-Type": "application/json"},
    )
    assert only_error(latin1)["type"] == "body_not_utf8"
    broken = client.post(
        "/api/v1/intakes", content=b'{"a": ', headers={"Content-Type": "application/json"}
    )
    assert broken.json()["detail"][0]["type"] == "json_invalid"  # named by the route, as before


@pytest.mark.parametrize("depth", [33, 3000])
def test_json_nested_deeper_than_the_limit_is_refused_with_its_own_message(client, depth):
    response = client.post(
        "/api/v1/intakes",
        content=b"[" * depth + b"]" * depth,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = only_error(response)
    assert error["type"] == "json_too_deep"
    assert error["msg_vi"] == "Nội dung JSON lồng nhau quá sâu: tối đa 32 tầng"
    assert error["msg_en"] == "The JSON body is nested too deeply: at most 32 levels"
    as_deep = client.post("/api/v1/intakes", content=b"[" * 32 + b"]" * 32)
    assert as_deep.status_code == 401  # to the authentication, past the guard


def test_a_nul_in_a_name_is_refused_on_its_field(client, world, act_as):
    act_as("td.caseworker")
    response = client.post(
        "/api/v1/intakes", json=intake_payload(**{"child.full_name": "Hoàng Thị\x00 Mai"})
    )
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "child", "full_name"]
    assert error["type"] == "text_unstorable"
    assert error["msg_vi"].startswith("Họ và tên của trẻ có ký tự không lưu được")


def test_a_nul_in_a_search_is_refused_on_its_parameter(client, world, act_as):
    act_as("td.caseworker")
    for path in ("/api/v1/cases?q=Mai%00", "/api/v1/children?q=%00"):
        response = client.get(path)
        assert response.status_code == 422
        error = only_error(response)
        assert error["loc"] == ["query", "q"]
        assert error["msg_vi"].startswith("Từ tìm kiếm có ký tự không lưu được")


def test_a_nul_in_a_case_code_finds_nothing(client, world, act_as):
    act_as("td.caseworker")
    assert client.get(f"/api/v1/cases/{world.own.case.code}%00").status_code == 404
    page = client.get(f"/ho-so/{world.own.case.code}%00", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "Không tìm thấy" in page.text


def test_a_nul_in_a_form_field_is_refused(client, world):
    response = client.post(
        "/dang-nhap",
        data={"username": "canbo\x00", "password": "x"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 422
    assert "Tên đăng nhập có ký tự không lưu được" in response.text
