"""Linking a sign-in to a care record: errors in the person's language, the
GOV.UK error summary, nothing typed is lost, and a lock after 5 wrong tries."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import csrf_token, page_of, sign_in


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
    for _ in range(4):
        assert post_link(client, year="1940").status_code == 400
    locked = post_link(client, year="1940")
    assert locked.status_code == 429
    assert page_of(locked).h1.get_text(strip=True) == "You have tried too many times"
    assert post_link(client).status_code == 429  # even the right details wait


def test_the_right_details_link_the_record_once(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "en", link=False)
    response = post_link(client, reference=" c104233 ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/your-care")
    assert client.get("/link-your-record").headers["Location"].endswith("/your-care")


def test_a_record_linked_to_one_sign_in_cannot_be_linked_to_another(app) -> None:  # type: ignore
    first, second = app.test_client(), app.test_client()
    sign_in(first, "Gwen")
    sign_in(second, "Sian", link=False)
    response = post_link(second)
    assert response.status_code == 409


def test_a_form_sent_without_its_csrf_token_is_refused_politely(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy", link=False)
    response = client.post("/link-your-record", data={"council_reference": "C104233"})
    assert response.status_code == 400
    assert page_of(response).h1.get_text(strip=True) == "Nid oedd modd anfon eich ffurflen"
