"""After `make run`, the demo collaborator has her village's review to do this month."""

from __future__ import annotations

from sqlmodel import select

from casework.accounts.models import User
from casework.demo.seed import seed_demo
from tests.factories.browsing import browser


def test_the_demo_collaborator_has_a_review_due(session, now, databases, client, browser_for):
    seed_demo(session, now=now, tz=databases.settings.tz)
    session.commit()
    nga = session.exec(select(User).where(User.username == "ctv.nga")).one()
    collaborator = browser(client, browser_for, nga)
    listing = collaborator.get("/ra-soat-thon")
    assert listing.status_code == 200
    assert "Tháng 03/2026" in listing.text
    assert "Cần rà soát" in listing.text
    link = listing.text.split('href="/ra-soat-thon/')[1].split('"')[0]
    sheet = collaborator.get(f"/ra-soat-thon/{link}").text
    assert "Rà soát Thôn Háng Ý" in sheet
    assert "Lăng Thị Yến" in sheet  # on the register (group n), in her village
