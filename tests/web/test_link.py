"""Linking a sign-in to a care record: errors in the person's language, the
GOV.UK error summary, nothing typed is lost, and a lock after 5 wrong tries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from portal.clock import utcnow
from portal.sandbox.notify import state as notify_state
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver


def post_link(client: FlaskClient, reference: str = "C104233", day: str = "14",
              month: str = "3", year: str = "1941", **extra: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, "/link-your-record"),
            "council_reference": reference, "birth_date-day": day,
            "birth_date-month": month, "birth_date-year": year, **extra}
    return client.post("/link-your-record", data={k: v for k, v in data.items() if v is not None})


def test_a_wrong_try_says_so_in_welsh_and_keeps_what_was_typed(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy", link=False)
    response = post_link(client, day="15")
    assert response.status_code == 400
    page = page_of(response)
    summary = page.find(class_="govuk-error-summary")
    assert summary.find("h2").get_text(strip=True) == "Mae problem wedi codi"
    assert "Mae gennych 4 cynnig ar ôl." in summary.get_text()
    assert page.title.get_text().startswith("Gwall:")
    assert page.find("input", {"name": "birth_date-day"})["value"] == "15"
    assert page.find("input", {"name": "council_reference"})["value"] == "C104233"
    assert "Error" not in page.get_text() and "There is a problem" not in page.get_text()


def test_incomplete_dates_get_the_design_systems_messages(client: FlaskClient) -> None:
    sign_in(client, "Dafydd", "en", link=False)
    cases = {
        ("", "", ""): "Enter your date of birth",
        ("", "7", "1958"): "Date of birth must include a day",
        ("2", "", ""): "Date of birth must include a month and year",
        ("31", "2", "1958"): "Date of birth must be a real date",
        ("2", "7", "58"): "Year must include 4 numbers",
        ("2", "7", "2999"): "Date of birth must be in the past",
    }
    for (day, month, year), message in cases.items():
        page = page_of(post_link(client, "C208871", day, month, year))
        link = page.find(class_="govuk-error-summary").find("a")
        assert link.get_text(strip=True) == message
        assert page.find(id=link["href"].lstrip("#")) is not None


def test_a_crafted_post_without_the_date_is_an_error_message_not_a_500(
        client: FlaskClient) -> None:
    sign_in(client, "Dafydd", "cy", link=False)
    response = post_link(client, "C208871", None, None, None)  # type: ignore[arg-type]
    assert response.status_code == 200 or response.status_code == 400
    assert "Rhowch eich dyddiad geni" in page_of(response).get_text()


@pytest.mark.any_hour
def test_five_wrong_tries_lock_linking_and_the_right_details_then_wait(
        client: FlaskClient) -> None:
    sign_in(client, "Gwen", "en", link=False)
    token = csrf_token(client, "/link-your-record")
    for _ in range(4):
        assert post_link(client, year="1940").status_code == 400
    locked = post_link(client, year="1940")
    assert locked.status_code == 429
    assert page_of(locked).h1.get_text(strip=True) == "You have tried too many times"
    right = client.post("/link-your-record", data={
        "csrf_token": token, "council_reference": "C104233", "birth_date-day": "14",
        "birth_date-month": "3", "birth_date-year": "1941"})
    assert right.status_code == 429  # even the right details wait
    # Coming back to the form, or reading it in Welsh, says it is locked and until when.
    again = page_of(client.get("/link-your-record"))
    assert again.h1.get_text(strip=True) == "You have tried too many times"
    assert again.find("form", action="/link-your-record") is None
    assert "You can try again after" in visible_text(again)
    client.get("/language/cy")
    welsh = page_of(client.get("/link-your-record"))
    assert welsh.h1.get_text(strip=True) == "Rydych chi wedi rhoi cynnig arni ormod o weithiau"


def test_the_right_details_link_the_record_once(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "en", link=False)
    response = post_link(client, reference=" c104233 ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/your-care")
    assert client.get("/link-your-record").headers["Location"].endswith("/your-care")


def test_a_record_linked_to_someone_else_answers_as_wrong_details_do_and_its_holder_hears(
        app: Flask, running_sandboxes: Any) -> None:
    notify = notify_state.of(running_sandboxes.servers["notify"].app).first
    gwen, stranger = app.test_client(), app.test_client()
    sign_in(gwen, "Gwen", "cy")  # Gwen's record, linked to her sign-in; she reads Welsh
    sign_in(stranger, "Sian", link=False)
    notify.sent.clear()
    right = post_link(stranger)  # Gwen's own details, from someone else
    wrong = post_link(stranger, day="15")
    assert right.status_code == wrong.status_code == 400
    said = [page_of(r).find(class_="govuk-error-summary").get_text(" ", strip=True)
            for r in (right, wrong)]
    assert said[0].replace("4 more times", "N") == said[1].replace("3 more times", "N")
    deliver(app)
    told = [n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"]
    assert [n["subject"] for n in told] == ["Mae rhywun wedi ceisio cysylltu â'ch cofnod gofal"]
    assert "http://portal.test/contact" in told[0]["body"]

    post_link(stranger)  # again the same day: she is not told twice
    deliver(app)
    assert len([n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"]) == 1
    with time_machine.travel(utcnow() + timedelta(days=1), tick=False):
        sign_in(stranger, "Sian", link=False)  # the next day
        assert post_link(stranger).status_code == 400
        deliver(app)
    assert len([n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"]) == 2


def test_ten_tries_at_the_same_moment_check_no_more_than_five(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    sign_in(client, "Sian", link=False)
    token = csrf_token(client, "/link-your-record")
    cookie = client.get_cookie("portal_session")
    assert cookie is not None
    backoffice = app.extensions["portal"].backoffice
    checked: list[str] = []
    real_match = backoffice.match_person

    def counted(council: str, reference: str, born: Any) -> Any:
        checked.append(reference)
        return real_match(council, reference, born)

    monkeypatch.setattr(backoffice, "match_person", counted)
    # Ten at once on a busy machine may keep the council waiting longer than the tests'
    # usual second: what is counted here is the checks made, not how long they took.
    monkeypatch.setattr(backoffice, "timeout", (5.0, 5.0))
    at_once = threading.Barrier(10)

    def try_once(_: int) -> int:
        same_browser = app.test_client()
        same_browser.set_cookie("portal_session", cookie.value)
        at_once.wait()
        return same_browser.post("/link-your-record", data={
            "csrf_token": token, "council_reference": "C104233", "birth_date-day": "1",
            "birth_date-month": "1", "birth_date-year": "1941"}).status_code

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(try_once, range(10)))
    assert len(checked) == 5
    assert sorted(answers) == [400] * 4 + [429] * 6


def test_a_form_sent_without_its_csrf_token_is_refused_politely(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy", link=False)
    response = client.post("/link-your-record", data={"council_reference": "C104233"})
    assert response.status_code == 400
    assert page_of(response).h1.get_text(strip=True) == "Nid oedd modd anfon eich ffurflen"
