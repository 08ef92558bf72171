"""What each demo person sees of their care, and what happens when the back
office is down or slow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from portal.clock import local_date, utcnow
from tests.conftest import page_of, sign_in, sign_out, visible_text


def text_of(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return visible_text(page_of(response))


def test_the_plan_shows_every_element_the_regulations_require(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Dafydd")
    page = page_of(client.get("/your-care/plan"))
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    for required in ("What you need help with (eligible needs)",
                     "What matters to you (personal outcomes)", "What the council will do",
                     "What other people will do", "How progress will be checked",
                     "How and when your plan will be reviewed", "Direct payments",
                     "Your lead worker"):
        assert required in headings
    text = visible_text(page)
    assert "£418.50 a week" in text
    assert "Getting better" not in text and "Achieved" in text
    assert "Mark Evans" in text and "Information from the council as of" in text


def test_a_welsh_plan_is_marked_as_welsh_for_screen_readers_on_an_english_page(
        app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "en")
    page = page_of(client.get("/your-care/plan"))
    need = page.find(string=lambda s: s and "arthritis" in s)
    assert need.find_parent(attrs={"lang": "cy"}) is not None
    assert page.html["lang"] == "en"
    team = page.find(string="Tîm Oedolion Arfon")
    assert team.find_parent(attrs={"lang": "cy"}) is not None


def test_an_english_team_name_is_marked_as_english_on_a_welsh_page(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Dafydd", "cy")
    page = page_of(client.get("/your-care/plan"))
    team = page.find(string="Adult Services, Aberystwyth")
    assert team.parent["lang"] == "en" and page.html["lang"] == "cy"


@pytest.mark.any_hour
def test_missed_and_late_visits_come_first_with_what_to_do_in_welsh(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Eleri", "cy")
    home = page_of(client.get("/your-care"))
    banner = home.find(class_="portal-missed-visits")
    assert "Yn y 14 diwrnod diwethaf, roedd 2 ymweliad wedi'u methu neu'n hwyr." in \
        visible_text(banner)
    assert banner.find("a")["href"] == "/your-care/visits#missed-and-late"

    page = page_of(client.get("/your-care/visits"))
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings[0] == "Ymweliadau a fethwyd neu a oedd yn hwyr"
    missed = page.find(id="missed-and-late").find_next("dl")
    assert [t.get_text(strip=True) for t in missed.find_all(class_="govuk-tag")] == \
        ["Hwyr", "Wedi'i fethu"]  # the latest first
    text = visible_text(page)
    assert "Beth allwch chi ei wneud" in text and "Carys Jones" in text
    assert page.find("table") is None  # a list per day reflows on a phone


@pytest.mark.any_hour
def test_visits_are_shown_a_week_at_a_time_from_today(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Eleri")
    page = page_of(client.get("/your-care/visits"))
    days = [h.get_text(" ", strip=True) for h in page.find_all("h3")
            if h.find_previous("h2").get("id") == "week"]
    today = local_date(utcnow())
    assert len(days) == 7
    assert days[0] == f"{today:%A} {today.day} {today:%B} (today)"
    later = page.find("a", rel="next")["href"]
    assert later == f"/your-care/visits?from={today + timedelta(days=7)}#week"
    earliest = page_of(client.get("/your-care/visits?from=1999-01-01"))
    assert earliest.find("a", rel="prev") is None  # four weeks back at most
    assert earliest.find("a", rel="next") is not None
    assert client.get("/your-care/visits?from=not-a-day").status_code == 200


def test_a_back_office_outage_shows_the_unavailable_page_in_the_persons_language(
        app: Flask, backoffice_faults: Any, caplog: Any) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    backoffice_faults.set(fail_status=503)
    response = client.get("/your-care/plan")
    assert response.status_code == 503
    assert page_of(response).h1.get_text(strip=True) == \
        "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael"
    assert "Traceback" not in response.get_data(as_text=True)
    assert any("back office" in r.getMessage() for r in caplog.records)


def test_a_slow_back_office_shows_the_unavailable_page(app: Flask,
                                                       backoffice_faults: Any) -> None:
    client = app.test_client()
    sign_in(client, "Dafydd", "en")
    backoffice_faults.set(latency_seconds=1.5)
    response = client.get("/your-care")
    assert response.status_code == 503
    assert page_of(response).h1.get_text(strip=True) == "Sorry, the service is unavailable"


def test_a_saved_language_preference_is_applied_at_the_next_sign_in(app: Flask) -> None:
    from tests.conftest import csrf_token

    client = app.test_client()
    sign_in(client, "Dafydd", "en")
    saved = client.post("/account", data={"csrf_token": csrf_token(client, "/account"),
                                          "language": "cy"})
    assert saved.status_code == 302
    assert "Mae eich dewis iaith wedi'i gadw." in text_of(client, "/account")
    sign_out(client)
    client.get("/language/en")
    sign_in(client, "Dafydd", "en")
    assert page_of(client.get("/your-care")).html["lang"] == "cy"


def test_an_unknown_language_choice_is_a_message_not_a_500(app: Flask) -> None:
    from tests.conftest import csrf_token

    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    response = client.post("/account", data={"csrf_token": csrf_token(client, "/account"),
                                             "language": "fr"})
    assert response.status_code == 400
    assert "Dewiswch yr iaith y dylen ni ei defnyddio" in visible_text(page_of(response))


def test_an_unexpected_back_office_answer_is_the_problem_page_not_a_trace(
        app: Flask, backoffice_faults: Any) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    backoffice_faults.set(fail_status=418)
    response = client.get("/your-care/visits")
    assert response.status_code == 500
    assert page_of(response).h1.get_text(strip=True) == \
        "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth"
    assert "Traceback" not in response.get_data(as_text=True)
