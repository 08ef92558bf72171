"""Visits as they happen: what the provider's call monitoring says of each (due, on the
way, arrived, finished, running late with a new time, missed, cancelled, moved), in
Welsh and English; a page that brings itself up to date keeps no one signed in and is
not another look in the person's access log."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import requests
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from portal.clock import LONDON, local_date, utcnow
from portal.services import audit
from portal.services.accounts import SEEN_EVERY
from portal.store.models import UserSession
from tests.conftest import csrf_token, page_of, sign_in
from tests.web.test_access import carer_of_gwen

ELERI = "p-1003"  # four visits a day: 8am, 12:30pm, 4:30pm and 8:30pm


pytestmark = pytest.mark.usefixtures("news_forgotten")


def at(day: Any, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), LONDON).isoformat()


def say(base_settings: Any, person: str, visit_id: str, **news: Any) -> None:
    """What the provider's call monitoring tells the council's back office."""
    told = requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/{person}/visits/"
                         f"{visit_id}", json=news, timeout=5)
    assert told.status_code == 201, told.text


def visit_rows(client: FlaskClient, path: str) -> dict[str, str]:
    """Each visit of the week shown, by its time: its tag and what is said of it."""
    page = page_of(client.get(path))
    week = page.find(id="week")
    rows = {}
    for row in week.find_all_next(class_="govuk-summary-list__row"):
        key = row.find("dt").get_text(" ", strip=True)
        rows[f"{row.find_previous('h3').get_text(' ', strip=True)} {key}"] = \
            " ".join(row.find("dd").get_text(" ").split())
    return rows


@pytest.mark.parametrize("language, words", [
    ("en", {"due": "Due now", "way": "On the way Care worker: Kelly. Now expected at 8:10am.",
            "late": "Late Care worker: Joanne. Now expected at 1:15pm.",
            "arrived": "Happening now Care worker: Rhian. Arrived at 4:40pm.",
            "finished": "Completed Care worker: Kelly. Arrived at 8:35pm, finished at 9:05pm.",
            "moved": "Moved Moved to", "missed": "Missed", "cancelled": "Cancelled",
            "not yet": "Late Not started yet."}),
    ("cy", {"due": "Disgwylir nawr",
            "way": "Ar y ffordd Gweithiwr gofal: Kelly. Disgwylir am 8:10am bellach.",
            "late": "Hwyr Gweithiwr gofal: Joanne. Disgwylir am 1:15pm bellach.",
            "arrived": "Yn digwydd nawr Gweithiwr gofal: Rhian. Wedi cyrraedd am 4:40pm.",
            "finished": "Wedi'i gwblhau",
            "moved": "Wedi'i symud Wedi'i symud i ddydd", "missed": "Wedi'i fethu",
            "cancelled": "Wedi'i ganslo", "not yet": "Hwyr Heb ddechrau eto."}),
])
def test_every_state_of_a_visit_is_said_in_the_persons_language(
        app: Flask, base_settings: Any, language: str, words: dict[str, str]) -> None:
    today = local_date(utcnow())
    tomorrow, after = today + timedelta(days=1), today + timedelta(days=2)
    yesterday = today - timedelta(days=1)
    visit = f"v-{ELERI}-{{}}-{{}}".format
    said = [
        (visit(yesterday, 3), {"status": "booked"}),  # its time has come: due
        (visit(tomorrow, 0), {"status": "on-the-way", "expected_start": at(tomorrow, 8, 10),
                              "carer_first_name": "Kelly"}),
        (visit(tomorrow, 1), {"status": "late", "expected_start": at(tomorrow, 13, 15),
                              "carer_first_name": "Joanne"}),
        (visit(tomorrow, 2), {"status": "in-progress", "carer_first_name": "Rhian",
                              "actual": {"start": at(tomorrow, 16, 40), "end": None}}),
        (visit(tomorrow, 3), {"status": "completed", "carer_first_name": "Kelly",
                              "actual": {"start": at(tomorrow, 20, 35),
                                         "end": at(tomorrow, 21, 5)}}),
        (visit(after, 0), {"status": "moved", "carer_first_name": None,
                           "moved_to": {"start": at(after, 10), "end": at(after, 10, 45)}}),
        (visit(after, 1), {"status": "missed"}),
        (visit(after, 2), {"status": "cancelled", "carer_first_name": None}),
        (visit(after, 3), {"status": "late", "carer_first_name": None}),
    ]
    for visit_id, news in said:
        say(base_settings, ELERI, visit_id, **news)
    client = app.test_client()
    sign_in(client, "Eleri", language)
    rows = list(visit_rows(client, f"/your-care/visits?from={yesterday}").values())
    # Yesterday's four, then tomorrow's and the day after's, four a day, in order.
    assert rows[3].startswith(words["due"])
    assert rows[8].startswith(words["way"]) and rows[9].startswith(words["late"])
    assert rows[10].startswith(words["arrived"]) and rows[11].startswith(words["finished"])
    assert rows[12].startswith(words["moved"]) and rows[13].startswith(words["missed"])
    assert rows[14].startswith(words["cancelled"]) and rows[15].startswith(words["not yet"])


def test_the_week_of_today_offers_to_follow_itself_and_other_weeks_do_not(
        app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Eleri")
    page = page_of(client.get("/your-care/visits"))
    part = page.find(attrs={"data-portal-refresh": True})
    assert part is not None and part.find(id="week") is not None
    news = page.find(id=part["data-portal-news"])
    assert news["aria-live"] == "polite" and news.get_text() == ""
    later = local_date(utcnow()) + timedelta(days=7)
    assert page_of(client.get(f"/your-care/visits?from={later}")).find(
        attrs={"data-portal-refresh": True}) is None


def test_its_version_changes_when_a_visit_does_and_only_then(
        app: Flask, base_settings: Any) -> None:
    client = app.test_client()
    sign_in(client, "Eleri")
    app.extensions["portal"].backoffice.forget(f"W06000002:{ELERI}")

    def version() -> str:
        app.extensions["portal"].backoffice.forget(f"W06000002:{ELERI}")
        return str(page_of(client.get("/your-care/visits")).find(
            attrs={"data-portal-refresh": True})["data-portal-version"])

    first = version()
    assert version() == first
    tomorrow = local_date(utcnow()) + timedelta(days=1)
    say(base_settings, ELERI, f"v-{ELERI}-{tomorrow}-0", status="on-the-way")
    assert version() != first


def test_a_page_refreshing_itself_keeps_no_one_signed_in_and_is_not_another_look(
        app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"])
    store = app.extensions["portal"].store

    def last_seen() -> datetime:
        with store.transaction() as db:
            return max(s.last_seen_at for s in db.query(UserSession))

    looked = audit.page_for(store, "W06000002:p-1001", 1).total
    seen = last_seen()
    with time_machine.travel(utcnow() + SEEN_EVERY * 2, tick=True):
        refreshed = sian.get("/your-care/visits", headers={"X-Portal-Refresh": "1"})
        assert refreshed.status_code == 200
        assert last_seen() == seen
        assert audit.page_for(store, "W06000002:p-1001", 1).total == looked
        assert sian.get("/your-care/visits").status_code == 200  # opened: a look, and seen
        assert audit.page_for(store, "W06000002:p-1001", 1).total == looked + 1
        assert last_seen() > seen


RECORD = {"language": "en", "recorded_at": "2026-12-02T08:50:00Z",
          "note": "Eleri was tired this morning but cheerful.",
          "tasks": [{"description": "Help with washing and dressing", "done": True,
                     "reason": None},
                    {"description": "Make a meal", "done": False,
                     "reason": "She had eaten with her daughter."}],
          "medicines": [{"medicine": "Amlodipine 5 mg", "outcome": "refused",
                         "note": "Said she would take it later."}]}


@pytest.mark.parametrize("language, words", [
    ("en", ["What was done", "Not done", "Refused", "Written in English."]),
    ("cy", ["Beth a wnaed", "Heb ei wneud", "Wedi'i gwrthod", "Wedi'i ysgrifennu yn Saesneg."]),
])
def test_what_the_care_worker_recorded_is_shown_in_the_language_it_was_written(
        app: Flask, base_settings: Any, language: str, words: list[str]) -> None:
    yesterday = local_date(utcnow()) - timedelta(days=1)
    visit_id = f"v-{ELERI}-{yesterday}-0"
    say(base_settings, ELERI, visit_id, status="completed", record=RECORD, actual={
        "start": at(yesterday, 8, 2), "end": at(yesterday, 8, 47)})
    client = app.test_client()
    sign_in(client, "Eleri", language)
    week = page_of(client.get(f"/your-care/visits?from={yesterday}"))
    link = week.find("a", href=f"/your-care/visits/{visit_id}")
    assert link is not None and link.get_text(" ", strip=True).startswith(words[0])
    page = page_of(client.get(f"/your-care/visits/{visit_id}"))
    text = " ".join(page.get_text(" ").split())
    for said in words:
        assert said in text
    assert "She had eaten with her daughter." in text and "Said she would take it later." in text
    task = page.find(string="Make a meal")
    assert task.find_parent(attrs={"lang": "en"}) is not None
    assert page.find(string=words[1]).parent["lang"] == language


def test_a_visit_of_someone_else_or_of_no_one_is_not_found(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Eleri")
    yesterday = local_date(utcnow()) - timedelta(days=1)
    assert client.get(f"/your-care/visits/v-p-1001-{yesterday}-0").status_code == 404
    assert client.get("/your-care/visits/v-p-1003-not-a-day").status_code == 404
    assert client.get(f"/your-care/visits/v-{ELERI}-{yesterday}-9").status_code == 404


def test_the_person_keeps_visit_notes_and_names_from_a_carer_and_gives_them_back(
        app: Flask) -> None:
    gwen, sian, delegation_id = carer_of_gwen(app, ["plan"])
    yesterday = local_date(utcnow()) - timedelta(days=1)
    visit = f"/your-care/visits/v-p-1001-{yesterday}-0"
    assert "Help i ymolchi a gwisgo" in page_of(sian.get(visit)).get_text()

    change = f"/who-can-act-for-you/{delegation_id}/change"
    kept = gwen.post(change, data={"csrf_token": csrf_token(gwen, change), "scopes": ["plan"],
                                   "notes": "withhold"})
    assert kept.status_code == 302
    listed = " ".join(page_of(gwen.get("/who-can-act-for-you")).get_text(" ").split())
    assert "Kept from them, with care workers' names" in listed
    page = page_of(sian.get(visit))
    text = " ".join(page.get_text(" ").split())
    assert "Gwen Morgan does not share what care workers write after each visit with you." \
        in text
    assert "Help i ymolchi a gwisgo" not in text and "Care worker" not in text
    week = " ".join(page_of(sian.get("/your-care/visits")).get_text(" ").split())
    assert "Care worker:" not in week
    assert "Care worker:" in " ".join(page_of(gwen.get("/your-care/visits")).get_text(" ")
                                      .split())  # her own page keeps them
    assert "Help i ymolchi a gwisgo" in page_of(gwen.get(visit)).get_text()

    crafted = gwen.post(change, data={"csrf_token": csrf_token(gwen, change),
                                      "scopes": ["plan"], "notes": "perhaps"})
    assert crafted.status_code == 400
    assert "Select whether they can see what care workers write" in crafted.text
    shown = gwen.post(change, data={"csrf_token": csrf_token(gwen, change), "scopes": ["plan"],
                                    "notes": "show"})
    assert shown.status_code == 302
    assert "Help i ymolchi a gwisgo" in page_of(sian.get(visit)).get_text()


def test_the_next_visit_on_the_care_page_says_when_it_is_now_expected(
        app: Flask, base_settings: Any) -> None:
    tomorrow = local_date(utcnow()) + timedelta(days=1)
    say(base_settings, ELERI, f"v-{ELERI}-{tomorrow}-0", status="on-the-way",
        expected_start=at(tomorrow, 8, 20))
    client = app.test_client()
    sign_in(client, "Eleri", "cy")
    home = " ".join(page_of(client.get("/your-care")).get_text(" ").split())
    assert "Ar y ffordd Disgwylir am 8:20am bellach." in home


@pytest.mark.parametrize("visit_id", ["%2e%2e%2fcare-plan", "v-p-1003-" + "9" * 3000,
                                      "v-p-1003-2026-12-02-0%3Fx%3D1", "%F0%9F%98%80",
                                      "v-p-1003-2026-02-30-0"])
def test_a_made_up_visit_address_is_not_found_never_an_error(app: Flask, visit_id: str) -> None:
    client = app.test_client()
    sign_in(client, "Eleri")
    assert client.get(f"/your-care/visits/{visit_id}").status_code == 404


def test_the_person_keeps_visit_notes_from_someone_holding_a_legal_power_too(
        app: Flask) -> None:
    gwen, sian = app.test_client(), app.test_client()
    sign_in(gwen, "Gwen")
    sign_in(sian, "Sian")  # her health and welfare attorney, as the council records
    assert sian.post("/people-you-help", data={
        "csrf_token": csrf_token(sian, "/people-you-help"),
        "person_id": "W06000002:p-1001"}).status_code == 302
    yesterday = local_date(utcnow()) - timedelta(days=1)
    visit = f"/your-care/visits/v-p-1001-{yesterday}-0"
    assert "Help i ymolchi a gwisgo" in page_of(sian.get(visit)).get_text()

    listing = page_of(gwen.get("/who-can-act-for-you"))
    change = listing.find("a", href=lambda h: h and h.startswith("/who-can-act-for-you/legal/"))
    assert change["href"] == "/who-can-act-for-you/legal/W06000002:p-2001/notes"
    kept = gwen.post(change["href"], data={"csrf_token": csrf_token(gwen, change["href"]),
                                           "notes": "withhold"})
    assert kept.status_code == 302
    text = " ".join(page_of(sian.get(visit)).get_text(" ").split())
    assert "Gwen Morgan does not share what care workers write" in text
    assert "Help i ymolchi a gwisgo" not in text
    assert "Kept from them, with care workers' names" in " ".join(
        page_of(gwen.get("/who-can-act-for-you")).get_text(" ").split())
    # Nobody else's holder is hers to change.
    assert gwen.get("/who-can-act-for-you/legal/W06000024:p-3001/notes").status_code == 404
