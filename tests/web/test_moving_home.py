"""Moving to another council's area: one sign-in links the new council's record, keeps
the one it had as an earlier record it can still open, and takes the access it gave
people along; nobody else can reach the earlier record by any door."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from portal.services import audit
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.web.conftest import GWEN_IN_MERTHYR, gwen_moves_to_merthyr, move, see
from tests.web.test_access import GWEN, choose, grant, redeem


@pytest.fixture
def moved(gwynedd_and_merthyr: Flask, merthyr: Any) -> Flask:
    gwen_moves_to_merthyr(merthyr)
    return gwynedd_and_merthyr


def test_someone_who_moves_links_the_new_councils_record_and_keeps_the_one_before(
        moved: Flask) -> None:
    gwen = moved.test_client()
    sign_in(gwen, "Gwen")
    account = visible_text(page_of(gwen.get("/account")))
    assert "Your care record is with Gwynedd Council." in account
    linked = move(gwen)
    assert linked.status_code == 302 and linked.headers["Location"] == "/your-care"
    home = page_of(gwen.get("/your-care"))
    assert "Your care record with Merthyr Tydfil County Borough Council is linked." \
        in visible_text(home)
    assert "01685 725000" in visible_text(page_of(gwen.get("/contact")))
    records = page_of(gwen.get("/account/care-records"))
    cards = records.find_all(class_="govuk-summary-card")
    assert [c.find("h2").get_text(strip=True) for c in cards] == [
        "Your care record now", "Your earlier care record"]
    assert "Merthyr Tydfil" in cards[0].get_text() and "Gwynedd" in cards[1].get_text()

    # The earlier record, opened: its own pages, its own council, said so on each.
    assert see(gwen, GWEN).status_code == 302
    charges = page_of(gwen.get("/your-charges"))
    banner = charges.find(class_="govuk-notification-banner")
    assert "your care record with Gwynedd Council, the council whose area you moved from" \
        in banner.get_text(" ", strip=True)
    assert "01766 771000" in visible_text(page_of(gwen.get("/contact")))
    assert gwen.get("/your-care/plan").status_code == 200
    refused = gwen.get("/book-a-review")
    assert refused.status_code == 403
    assert gwen.get("/your-charges/financial-assessment").status_code == 403
    assert "not ask it for anything new" in visible_text(page_of(refused))
    # Looking at one's own record is no one else looking at it.
    assert audit.page_for(moved.extensions["portal"].store, GWEN, 1).total == 0

    assert see(gwen, "").status_code == 302
    home = page_of(gwen.get("/your-care"))
    assert home.find(class_="govuk-notification-banner") is None
    assert gwen.get("/your-requests").status_code == 200


def test_the_details_of_the_record_linked_already_say_so(moved: Flask) -> None:
    gwen = moved.test_client()
    sign_in(gwen, "Gwen", "cy")
    again = move(gwen, council="W06000002", reference="C104233")
    assert again.status_code == 400
    summary = page_of(again).find(class_="govuk-error-summary")
    assert "Dyma'r cofnod gofal rydych wedi'i gysylltu yn barod." in summary.get_text()
    wrong = move(gwen, year="1942")
    assert wrong.status_code == 400
    assert "Mae gennych 4 cynnig ar ôl." in page_of(wrong).get_text()
    assert page_of(wrong).find("input", {"name": "council_reference"})["value"] == "M310100"


def test_access_given_in_the_portal_follows_the_person_to_the_new_record(
        moved: Flask) -> None:
    gwen, owen = moved.test_client(), moved.test_client()
    sign_in(gwen, "Gwen")
    sign_in(owen, "Owen")
    code, _ = grant(gwen, ["plan", "money"])  # as Siân Morgan, Owen signing in
    assert redeem(owen, code).status_code == 302
    assert move(gwen).status_code == 302
    people = page_of(owen.get("/people-you-help"))
    assert people.find("input", {"name": "person_id", "value": GWEN_IN_MERTHYR}) is not None
    assert people.find("input", {"name": "person_id", "value": GWEN}) is None
    assert "Merthyr Tydfil County Borough Council" in visible_text(people)
    choose(owen, GWEN_IN_MERTHYR)
    assert owen.get("/your-care/plan").status_code == 200
    # The record Gwen left is no longer open: she gave access to herself, not to it.
    assert owen.post("/people-you-help", data={
        "csrf_token": csrf_token(owen, "/people-you-help"), "person_id": GWEN}
    ).status_code == 403
    assert "Siân Morgan" in visible_text(page_of(gwen.get("/who-can-act-for-you")))


def test_nobody_else_reaches_an_earlier_record(moved: Flask) -> None:
    gwen, owen = moved.test_client(), moved.test_client()
    sign_in(gwen, "Gwen")
    assert move(gwen).status_code == 302
    sign_in(owen, "Owen")
    # Not by linking it: the same answer as details that are wrong.
    taken = move(owen, council="W06000002", reference="C104233")
    assert taken.status_code == 400
    assert "does not match our records" in visible_text(page_of(taken))
    # Not by choosing it, as one's own earlier record or as someone helped.
    assert see(owen, GWEN).status_code == 403
    assert owen.post("/people-you-help", data={
        "csrf_token": csrf_token(owen, "/people-you-help"), "person_id": GWEN}
    ).status_code == 403


def test_moving_back_makes_the_earlier_record_current_again(moved: Flask) -> None:
    gwen = moved.test_client()
    sign_in(gwen, "Gwen")
    assert move(gwen).status_code == 302
    assert move(gwen, council="W06000002", reference="C104233").status_code == 302
    cards = page_of(gwen.get("/account/care-records")).find_all(class_="govuk-summary-card")
    assert len(cards) == 2
    assert "Gwynedd" in cards[0].get_text() and "Merthyr Tydfil" in cards[1].get_text()
    assert see(gwen, GWEN_IN_MERTHYR).status_code == 302
    assert see(gwen, GWEN).status_code == 403  # her current record is not an earlier one
