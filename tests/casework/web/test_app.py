from __future__ import annotations

from tests.factories.communes import create_commune


def test_home_page_is_vietnamese_and_lists_communes(client, session, now):
    create_commune(session, now=now)
    session.commit()
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
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
    assert client.get("/static/casework.css").status_code == 200
