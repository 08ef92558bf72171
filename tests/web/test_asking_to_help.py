"""A carer asks a person for access; the person accepts some of it, or declines;
both hear by Notify in their own language."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.store.models import Delegation
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import deliver, post

GWEN = {"council_reference": "C104233", "birth_date-day": "14", "birth_date-month": "3",
        "birth_date-year": "1941"}


def ask_for_gwen(carer: FlaskClient, scopes: list[str], **details: str) -> Any:
    return post(carer, "/people-you-help/ask", {
        **GWEN, "name": "Siân Morgan", "relationship": "Merch", "scopes": scopes, **details})


def to(notify: Any, address: str) -> list[dict[str, Any]]:
    return [n for n in notify.sent if address in (n["email_address"], n["phone_number"])]


def the_ask(person: FlaskClient) -> str:
    listing = page_of(person.get("/who-can-act-for-you"))
    answer = listing.find("a", href=lambda h: h and h.endswith("/answer"))
    return str(answer["href"])


def test_gwen_lets_sian_do_some_of_what_she_asked_and_both_hear_in_their_language(
        app: Flask, notify: Any) -> None:
    gwen, sian = app.test_client(), app.test_client()
    sign_in(gwen, "Gwen", "cy")
    sign_in(sian, "Sian", "en", link=False)
    asked = ask_for_gwen(sian, ["plan", "reviews", "money"])
    assert asked.status_code == 200
    assert "We have asked them" in visible_text(page_of(asked))
    # Nothing yet: she is not among the people Siân helps.
    assert "Gwen Morgan" not in visible_text(page_of(sian.get("/people-you-help")))
    deliver(app)
    told = to(notify, "gwen.morgan@example.com")
    assert [n["subject"] for n in told] == [
        "Mae Siân Morgan wedi gofyn am gael gweithredu ar eich rhan"]
    assert "Merch" in told[0]["body"]

    path = the_ask(gwen)
    question = page_of(gwen.get(path))
    offered = [i["value"] for i in question.find_all("input", {"name": "scopes"})]
    assert offered == ["plan", "reviews", "money"]
    nothing_ticked = post(gwen, path, {"answer": "accept"})
    assert nothing_ticked.status_code == 400
    assert "Dewiswch beth gallan nhw ei wneud i chi, neu dewiswch na" in visible_text(
        page_of(nothing_ticked))
    # A scope she was not asked for is not hers to give here.
    assert post(gwen, path, {"answer": "accept", "scopes": ["notifications"]}).status_code \
        == 400
    accepted = post(gwen, path, {"answer": "accept", "scopes": ["plan", "reviews"]})
    assert accepted.status_code == 302
    deliver(app)
    assert [n["subject"] for n in to(notify, "sian.morgan@example.com")] == [
        "Gwen Morgan has let you act for them"]

    assert sian.get("/your-care/plan").status_code == 302  # to linking: no choice made yet
    chosen = post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"})
    assert chosen.status_code == 302
    assert sian.get("/your-care/plan").status_code == 200
    assert sian.get("/your-charges").status_code == 403
    # Answered once: the question is gone, the answer stands.
    assert gwen.get(path).headers["Location"].endswith("/who-can-act-for-you")


def test_gwen_says_no_and_sian_is_told_and_sees_nothing(app: Flask, notify: Any) -> None:
    gwen, sian = app.test_client(), app.test_client()
    sign_in(gwen, "Gwen", "cy")
    sign_in(sian, "Sian", "cy", link=False)
    ask_for_gwen(sian, ["plan"])
    path = the_ask(gwen)
    assert post(gwen, path, {"answer": "decline"}).status_code == 302
    assert "Dywedoch chi na" in visible_text(page_of(gwen.get("/who-can-act-for-you")))
    deliver(app)
    assert [n["subject"] for n in to(notify, "sian.morgan@example.com")] == [
        "Ymateb Gwen Morgan i'ch cais"]
    assert "Gwen Morgan" not in visible_text(page_of(sian.get("/people-you-help")))
    with sian.session_transaction() as cookie:
        cookie["acting_for"] = "W06000002:p-1001"
    assert sian.get("/your-care/plan").status_code == 403


def test_details_that_match_nobody_get_the_same_answer_and_ask_nobody(
        app: Flask, client: FlaskClient) -> None:
    sign_in(client, "Sian", link=False)
    wrong = ask_for_gwen(client, ["plan"], **{"birth_date-day": "15"})
    assert wrong.status_code == 200
    assert "We have asked them" in visible_text(page_of(wrong))
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Delegation)) == 0


def test_asking_twice_while_they_decide_asks_once(app: Flask) -> None:
    gwen, sian = app.test_client(), app.test_client()
    sign_in(gwen, "Gwen")
    sign_in(sian, "Sian", link=False)
    ask_for_gwen(sian, ["plan"])
    ask_for_gwen(sian, ["plan"])
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Delegation)) == 1


def test_your_own_details_are_not_someone_to_ask(client: FlaskClient) -> None:
    sign_in(client, "Gwen")
    own = ask_for_gwen(client, ["plan"])
    assert own.status_code == 400
    assert "your own care record" in page_of(own).find(class_="govuk-error-summary").get_text()


def test_each_mistake_is_said_in_welsh_and_the_answers_are_kept(client: FlaskClient) -> None:
    sign_in(client, "Sian", "cy", link=False)
    empty = post(client, "/people-you-help/ask", {"name": "Siân"})
    assert empty.status_code == 400
    summary = page_of(empty).find(class_="govuk-error-summary").get_text()
    assert "Rhowch eu rhif cyfeirnod cyngor" in summary
    assert "Dewiswch beth rydych chi eisiau ei wneud iddyn nhw" in summary
    assert page_of(empty).find("input", {"name": "name"})["value"] == "Siân"


def test_only_the_person_may_answer_an_ask_of_them(app: Flask) -> None:
    gwen, sian, dafydd = app.test_client(), app.test_client(), app.test_client()
    sign_in(gwen, "Gwen")
    sign_in(sian, "Sian", link=False)
    sign_in(dafydd, "Dafydd")
    ask_for_gwen(sian, ["plan"])
    path = the_ask(gwen)
    assert dafydd.get(path).status_code == 404
    app.config["WTF_CSRF_ENABLED"] = False
    assert dafydd.post(path, data={"answer": "accept", "scopes": ["plan"]}).status_code == 404
