"""The work queues in English, when a person chooses it: the page's words, labels, deadline
bands and countdowns all follow the choice (the case data stays as it was written)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework.web import i18n
from tests.factories.browsing import browser

PAGES = [
    (
        "supervisor",
        "/trang-cua-toi?show=emergency",
        ["My page", "emergency cases", "Emergency"],
        ["Trang của tôi</h1>", "hồ sơ khẩn cấp"],
    ),
    (
        "supervisor",
        "/leo-thang",
        ["Escalation queue", "Nobody has taken it", "Updated at", "Task declined"],
        ["Chưa ai nhận", "Cập nhật lúc", "Cơ quan không thực hiện được"],
    ),
    (
        "police.officer",
        "/nhiem-vu",
        ["My tasks", "Overdue", "Not yet accepted", "overdue"],
        ["Quá hạn 1 giờ", "Chưa nhận"],
    ),
    ("auditor", "/nhat-ky", ["Audit log", "Download as CSV"], ["Nhật ký truy cập</h1>"]),
    (
        "admin",
        "/quan-tri/nguoi-dung",
        ["People", "Create an account", "Not activated"],  # the world's people have no password
        ["Tạo tài khoản", "Chưa kích hoạt"],
    ),
]


@pytest.mark.parametrize(("who", "path", "english", "vietnamese"), PAGES)
def test_each_page_speaks_english_when_chosen(
    client, world, browser_for, clock, who, path, english, vietnamese
):
    task = world.own.tasks["police"]
    clock.set(task.due_at.replace(tzinfo=clock.now().tzinfo) + timedelta(hours=1))
    person = browser(client, browser_for, world.own.people[who])
    person.headers["Cookie"] += f"; {i18n.COOKIE}=en"
    text = person.get(path).text
    assert '<html lang="en"' in text
    for words in english:
        assert words in text, words
    for words in vietnamese:
        assert words not in text, words
