"""A case shared outside the commune needs consent (guardian; the child from age 7) or a
legal ground."""

from __future__ import annotations


def transfer(story, code, expect, **payload):
    return story.fire(code, "transfer", expect=expect, to="Xã Thanh Bình", **payload)


def test_referral_outside_the_commune_needs_the_guardian_and_the_child_aged_7(story):
    code = story.intake()  # the child is 9
    refused = transfer(story, code, 422)
    assert {e["field"] for e in refused["detail"]} == {"guardian_consented", "child_consented"}
    assert refused["detail"][0]["msg"].startswith("Chuyển ra ngoài xã cần sự đồng ý")
    refused = transfer(story, code, 422, guardian_consented=True)
    assert [e["field"] for e in refused["detail"]] == ["child_consented"]
    assert story.case(code)["status"] == "received"  # nothing happened
    case = transfer(story, code, 200, guardian_consented=True, child_consented=True)
    assert case["status"] == "closed"


def test_a_young_childs_referral_needs_only_the_guardian(story):
    code = story.intake(**{"child.date_of_birth": "2021-01-10"})  # 5 years old
    transfer(story, code, 422)
    assert transfer(story, code, 200, guardian_consented=True)["status"] == "closed"


def test_a_legal_ground_replaces_consent(story, session):
    import sqlalchemy as sa

    from casework.cases.models import ProtectionCase

    code = story.intake()
    case = transfer(story, code, 200, legal_ground="Tòa án yêu cầu theo Điều 33 Luật Trẻ em")
    assert case["status"] == "closed"
    row = session.execute(sa.select(ProtectionCase).where(ProtectionCase.code == code)).scalar_one()
    assert row.sharing_legal_ground.startswith("Tòa án yêu cầu")
    assert (row.consent_guardian, row.consent_child) == (None, None)
