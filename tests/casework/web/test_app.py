from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from tests.factories.communes import create_commune


def test_home_page_is_vietnamese_and_lists_communes(client, session, now):
    create_commune(session, now=now)
    session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi"' in response.text
    assert "Xã Thanh Định" in response.text
    assert "111" in response.text


def test_health_check_reaches_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_documents_intake_fields_in_vietnamese(client):
    spec = client.get("/openapi.json").json()
    intake = spec["components"]["schemas"]["IntakeCreate"]["properties"]
    assert "Thời điểm tiếp nhận sớm nhất" in intake["first_received_at"]["description"]
    assert "/api/v1/intakes" in spec["paths"]
    assert "422" in spec["paths"]["/api/v1/intakes"]["post"]["responses"]
    assert client.get("/docs").status_code == 200


def test_unknown_path_is_a_vietnamese_404(client):
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert response.json()["detail"][0]["msg"] == "Không tìm thấy trang hoặc hồ sơ này"


def test_unexpected_failure_shows_no_stack_trace_or_sql(client, session_factory, caplog):
    def broken():
        raise RuntimeError("SELECT secret FROM child -- boom")

    client.app.state.session_factory = broken
    response = client.get("/api/v1/cases", headers={"Authorization": "Bearer cwk_anything"})
    assert response.status_code == 500
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["detail"][0]["msg"].startswith(
        "Có lỗi trong hệ thống; chưa có gì được lưu"
    )


def test_pages_use_a_self_hosted_stylesheet_and_no_inline_style(client):
    page = client.get("/").text
    assert "<style" not in page
    assert 'href="/static/casework.css"' in page
    assert 'href="/static/vendor/govuk/govuk-frontend-6.3.0.min.css"' in page
    assert client.get("/static/vendor/govuk/govuk-frontend-6.3.0.min.css").status_code == 200
    assert client.get("/static/casework.css").status_code == 200


def test_an_unexpected_failure_is_logged_once_and_answered_by_the_app(client, caplog):
    """Starlette's handler for Exception answers and then re-raises, so the server logged
    the traceback a second time, with the exception's message (which may quote data). The
    app answers it itself: nothing reaches the server, one log record says where."""

    quoted = "child Nguyễn Thị Hoa"

    def broken():
        raise RuntimeError(quoted)

    client.app.state.session_factory = broken
    strict = TestClient(client.app)  # re-raises whatever escapes the app
    with caplog.at_level(logging.ERROR):
        response = strict.get("/api/v1/cases", headers={"Authorization": "Bearer cwk_anything"})
    assert response.status_code == 500
    assert response.json()["detail"][0]["type"] == "internal_error"
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage().startswith("unhandled RuntimeError on GET /api/v1/cases")
    assert quoted not in record.getMessage()
    page = strict.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 500
    assert "Có lỗi trong hệ thống" in page.text  # a browser still gets its friendly page
