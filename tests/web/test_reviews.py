"""Book, move and cancel a review through the pages, against the sandbox back office
and Notify over HTTP; and everyone who should hear about it does, in their language."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal import messages
from portal.clock import LONDON, utcnow
from portal.store.models import OutboxMessage, ReviewRequest
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import choose_first_time, deliver, post
from tests.web.test_access import carer_of_gwen

ELERI = "W06000002:p-1003"

@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's review bookings."""
    bookings: dict[str, dict[str, Any]] = \
        running_sandboxes.back_office().bookings
    return bookings



def answer_every_question(client: FlaskClient, mode: str) -> str:
    """The plainest answers, up to check your answers; returns the slot chosen."""
    post(client, "/book-a-review", {"reason": "plan-due"})
    post(client, "/book-a-review/how", {"mode": mode})
    slot = choose_first_time(client)
    post(client, "/book-a-review/anything-else", {"language_support": "none"})
    return slot


def book(client: FlaskClient, mode: str = "home", **anything_else: str) -> tuple[str, str]:
    """Answer every question and confirm; returns the request's id and the slot chosen."""
    assert post(client, "/book-a-review", {"reason": "changed",
                                           "detail": "Rwy wedi cwympo"}).status_code == 302
    assert post(client, "/book-a-review/how", {"mode": mode}).status_code == 302
    slot = choose_first_time(client)
    assert post(client, "/book-a-review/anything-else",
                {"language_support": "welsh-speaker", **anything_else}).status_code == 302
    return book_from_check(client), slot


def sent_to(notify: Any, address: str) -> list[dict[str, Any]]:
    return [n for n in notify.sent if address in (n["email_address"], n["phone_number"])]


@pytest.mark.any_hour
def test_gwen_books_in_welsh_and_she_and_her_carer_hear_in_their_own_languages(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["notifications"], person_language="cy")
    deliver(app)  # the invitation
    notify.sent.clear()
    first = page_of(gwen.get("/book-a-review"))
    assert first.h1.get_text(strip=True) == "Pam rydych chi eisiau adolygiad?"
    request_id, slot = book(gwen, access_needs="Dolen sain, os gwelwch yn dda")

    confirmation = page_of(gwen.get(f"/your-requests/{request_id}/confirmation"))
    reference = confirmation.find(class_="portal-reference").get_text(strip=True)
    assert reference.startswith("RV-")
    assert "Gofynnwyd am adolygiad" in visible_text(confirmation)
    # Saved, not yet with the council: the back-office write waits in the outbox.
    assert not [b for b in council.values() if b["portal_reference"] == reference]
    assert "Gofynnwyd amdano" in visible_text(page_of(gwen.get("/your-requests")))

    deliver(app)
    booked = [b for b in council.values() if b["portal_reference"] == reference]
    assert len(booked) == 1 and booked[0]["slot_id"] == slot
    assert booked[0]["notes"]["language_support"] == "welsh-speaker"
    assert booked[0]["notes"]["access_needs"] == "Dolen sain, os gwelwch yn dda"
    to_gwen = sent_to(notify, "gwen.morgan@example.com")
    to_sian = sent_to(notify, "sian.morgan@example.com")
    assert [n["subject"].split(":")[0] for n in to_gwen] == ["Adolygiad wedi'i drefnu"]
    assert [n["subject"].split(":")[0] for n in to_sian] == ["Review booked"]
    assert reference in to_gwen[0]["body"] and "Gwen Morgan" in to_sian[0]["body"]
    assert "gartref" in to_gwen[0]["body"] and "at home" in to_sian[0]["body"]

    page = visible_text(page_of(gwen.get("/your-requests")))
    assert "Wedi'i gadarnhau gan y cyngor" in page and reference in page
    # One reminder each at 10:00 the day before, unless that has already passed.
    assert [r.next_attempt_at for r in reminders_of(app, request_id)] == \
        reminders_expected(booked[0]["start"], 2)


def reminders_expected(start: str, people: int) -> list[datetime]:
    """When each of `people` is reminded of a review at `start`: 10:00 in Wales the
    day before, if that is still to come; nobody is reminded of a time already past."""
    day_before = datetime.fromisoformat(start).astimezone(LONDON).date() - timedelta(days=1)
    at = datetime.combine(day_before, time(10), LONDON)
    return [at] * people if at > utcnow() else []


def reminders_of(app: Flask, request_id: str, status: str = "pending") -> list[OutboxMessage]:
    with app.extensions["portal"].store.transaction() as db:
        return list(db.scalars(select(OutboxMessage).where(
            OutboxMessage.about == f"review:{request_id}", OutboxMessage.status == status,
            OutboxMessage.template.startswith("review-reminder"))))


@pytest.mark.any_hour
def test_moving_and_cancelling_each_ask_first_then_tell_everyone(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    gwen, _, _ = carer_of_gwen(app, ["notifications"])
    deliver(app)  # the invitation
    request_id, first_slot = book(gwen)
    deliver(app)
    notify.sent.clear()

    asked = page_of(gwen.get(f"/your-requests/{request_id}/move"))
    assert asked.h1.get_text(strip=True) == "Choose a new day for the review"
    new_slot = choose_first_time(gwen, f"/your-requests/{request_id}/move")
    assert new_slot != first_slot
    check = page_of(gwen.get(f"/your-requests/{request_id}/move/check"))
    assert check.h1.get_text(strip=True).startswith("Move the review to ")
    moved = post(gwen, f"/your-requests/{request_id}/move/check", {})
    assert moved.headers["Location"].endswith(f"/your-requests/{request_id}")
    assert "Move requested" in visible_text(page_of(gwen.get(moved.headers["Location"])))
    deliver(app)
    with app.extensions["portal"].store.transaction() as db:
        reference = db.get(ReviewRequest, request_id).reference
    booking = next(b for b in council.values() if b["portal_reference"] == reference)
    assert booking["slot_id"] == new_slot
    assert [h["action"] for h in booking["history"]] == ["booked", "moved"]
    assert sorted(n["subject"].split(" to ")[0] for n in notify.sent) == \
        ["Review moved", "Review moved"]
    assert [r.next_attempt_at for r in reminders_of(app, request_id, "withdrawn")] == \
        reminders_expected(booking["history"][0]["start"], 2)  # the old time's
    assert [r.next_attempt_at for r in reminders_of(app, request_id)] == \
        reminders_expected(booking["start"], 2)  # the new time's

    sure = page_of(gwen.get(f"/your-requests/{request_id}/cancel"))
    assert sure.h1.get_text(strip=True).startswith("Cancel the review on ")
    post(gwen, f"/your-requests/{request_id}/cancel", {})
    deliver(app)
    assert booking["status"] == "cancelled"
    assert [n["subject"] for n in notify.sent[2:]] == ["Review cancelled", "Review cancelled"]
    assert reminders_of(app, request_id) == []
    detail = visible_text(page_of(gwen.get(f"/your-requests/{request_id}")))
    for step in ("Requested", "Confirmed by the council", "Asked to move", "Moved",
                 "Asked to cancel", "Cancelled"):
        assert step in detail
    assert "Move the review" not in detail  # nothing left to change
    assert gwen.get(f"/your-requests/{request_id}/move").status_code == 404


@pytest.mark.parametrize("language, summary_title, message", [
    ("en", "There is a problem", "Select why you want a review"),
    ("cy", "Mae problem wedi codi", "Dewiswch pam rydych chi eisiau adolygiad"),
])
def test_each_question_says_what_is_wrong_in_the_users_language_and_keeps_the_answers(
        client: FlaskClient, language: str, summary_title: str, message: str) -> None:
    sign_in(client, "Dafydd", language)
    empty = post(client, "/book-a-review", {})
    assert empty.status_code == 400
    page = page_of(empty)
    assert page.find(class_="govuk-error-summary").h2.get_text(strip=True) == summary_title
    assert page.find(class_="govuk-error-summary").a.get_text(strip=True) == message
    assert page.title.get_text().startswith("Error: " if language == "en" else "Gwall: ")

    other = page_of(post(client, "/book-a-review", {"reason": "other", "detail": " "}))
    assert other.find(class_="govuk-error-summary").a["href"] == "#detail"
    assert other.find("input", {"value": "other"}).has_attr("checked")  # nothing lost

    too_long = post(client, "/book-a-review", {"reason": "changed", "detail": "x" * 1001})
    assert too_long.status_code == 400
    assert page_of(too_long).find("textarea", {"name": "detail"}).get_text() == "x" * 1001

    assert post(client, "/book-a-review", {"reason": "forged"}).status_code == 400
    assert post(client, "/book-a-review", {"reason": "plan-due"}).status_code == 302
    assert post(client, "/book-a-review/how", {"mode": "by-pigeon"}).status_code == 400
    assert post(client, "/book-a-review/how", {"mode": "phone"}).status_code == 302
    assert post(client, "/book-a-review/when", {"day": "2030-01-01"}
                ).status_code == 400  # a day with no time offered
    day = page_of(client.get("/book-a-review/when")).find("input", {"name": "day"})["value"]
    assert post(client, f"/book-a-review/when?day={day}",
                {"slot": "s-p-1001-2030-01-01-1000-home"}
                ).status_code == 400  # someone else's, and not offered
    choose_first_time(client)
    no_language = post(client, "/book-a-review/anything-else",
                       {"language_support": "interpreter"})
    assert no_language.status_code == 400
    assert page_of(no_language).find(class_="govuk-error-summary").a["href"] == \
        "#interpreter_language"
    assert post(client, "/book-a-review/anything-else",
                {"language_support": "interpreter",
                 "interpreter_language": "Pwyleg"}).status_code == 302
    check = visible_text(page_of(client.get("/book-a-review/check")))
    assert "Pwyleg" in check


def test_a_later_question_before_the_earlier_ones_goes_back_to_the_first_unanswered(
        client: FlaskClient) -> None:
    sign_in(client, "Dafydd")
    assert client.get("/book-a-review/check").headers["Location"] == "/book-a-review"
    post(client, "/book-a-review", {"reason": "plan-due"})
    assert client.get("/book-a-review/when").headers["Location"] == "/book-a-review/how"


def test_a_change_from_check_your_answers_comes_back_to_it(client: FlaskClient) -> None:
    sign_in(client, "Dafydd")
    answer_every_question(client, "video")
    changed = post(client, "/book-a-review?change=1", {"reason": "other",
                                                       "detail": "Symud tŷ"})
    assert changed.headers["Location"] == "/book-a-review/check"
    # A different way of meeting offers different times: choose one again.
    how = post(client, "/book-a-review/how?change=1", {"mode": "office"})
    assert how.headers["Location"] == "/book-a-review/when"


@pytest.mark.any_hour
def test_a_time_taken_meanwhile_sends_them_back_to_choose_another(
        client: FlaskClient, app: Flask) -> None:
    sign_in(client, "Eleri")
    slot = answer_every_question(client, "home")
    from portal.clients.backoffice import ReviewNotes

    app.extensions["portal"].backoffice.book_review(  # the council books it by phone
        ELERI, slot, "plan-due", None, ReviewNotes(), "by-phone", f"phone-{uuid.uuid4()}")
    answer = client.get("/book-a-review/check")
    assert answer.headers["Location"] == "/book-a-review/when?taken=1"
    page = page_of(client.get(answer.headers["Location"]))
    assert page.find(class_="govuk-error-summary").a.get_text(strip=True) == \
        "The time you chose has just been taken. Choose another time."
    day = slot.split("-")[3:6]  # s-p-1003-2026-12-07-1000-home
    times = page_of(client.get(f"/book-a-review/when?day={'-'.join(day)}"))
    assert times.find("input", {"value": slot}) is None


@pytest.mark.any_hour
def test_only_one_review_at_a_time(app: Flask, client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    book(client)
    page = page_of(client.get("/book-a-review"))
    assert page.h1.get_text(strip=True) == "A review is already booked"


@pytest.mark.any_hour
def test_the_calendar_file_is_in_london_time_in_the_users_language(client: FlaskClient) -> None:
    sign_in(client, "Dafydd", "cy")
    request_id, _ = book(client)
    answer = client.get(f"/your-requests/{request_id}/review.ics")
    assert answer.mimetype == "text/calendar"
    assert "attachment" in answer.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(answer.data)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Adolygiad o gynllun gofal a chymorth Dafydd Hughes"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    detail = page_of(client.get(f"/your-requests/{request_id}"))
    when = detail.find("dt", string=lambda s: s and s.strip() == "Pryd").find_next("dd")
    assert messages.time_of_day(start, "cy") in when.get_text()


def test_your_requests_still_shows_the_portals_records_when_the_council_is_down(
        client: FlaskClient, backoffice_faults: Any) -> None:
    sign_in(client, "Dafydd")
    request_id, _ = book(client)
    backoffice_faults.set(fail_status=503)
    page = client.get("/your-requests")
    assert page.status_code == 200
    text = visible_text(page_of(page))
    assert "We cannot get the latest from the council at the moment." in text
    assert "Requested" in text


def test_a_carer_with_reviews_books_for_gwen_and_the_timeline_names_them(
        app: Flask, council: dict[str, Any]) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["reviews"])  # Siân now acts for Gwen
    request_id, _ = book(sian)
    deliver(app)
    with app.extensions["portal"].store.transaction() as db:
        row = db.get(ReviewRequest, request_id)
        assert row is not None and row.person_id == "W06000002:p-1001" and row.status == "booked"
    text = visible_text(page_of(gwen.get(f"/your-requests/{request_id}")))
    assert "by Siân Morgan" in text
    log = visible_text(page_of(gwen.get("/who-has-looked-at-your-record")))
    assert "Booked a review" in log and "Checked the answers for booking a review" in log


def test_every_review_page_in_welsh_holds_no_english(app: Flask) -> None:
    from tests.web.test_pages import english_sentences_left_in

    client = app.test_client()
    sign_in(client, "Dafydd", "cy")
    journey = ["/book-a-review", "/book-a-review/how", "/book-a-review/when",
               "/book-a-review/anything-else", "/book-a-review/check"]
    pages = [(path, client.get(path)) for path in journey[:1]]
    post(client, "/book-a-review", {"reason": "plan-due"})
    pages.append((journey[1], client.get(journey[1])))
    post(client, "/book-a-review/how", {"mode": "video"})
    pages.append((journey[2], client.get(journey[2])))
    choose_first_time(client)
    pages.append((journey[3], client.get(journey[3])))
    post(client, "/book-a-review/anything-else", {"language_support": "none"})
    pages.append((journey[4], client.get(journey[4])))
    request_id = book_from_check(client)
    deliver(app)
    for path in ("/your-care", "/your-requests", f"/your-requests/{request_id}",
                 f"/your-requests/{request_id}/confirmation",
                 f"/your-requests/{request_id}/move", f"/your-requests/{request_id}/cancel"):
        pages.append((path, client.get(path)))
    choose_first_time(client, f"/your-requests/{request_id}/move")
    path = f"/your-requests/{request_id}/move/check"
    pages.append((path, client.get(path)))
    for path, response in pages:
        assert response.status_code == 200, path
        page = page_of(response)
        assert page.html["lang"] == "cy", path
        assert english_sentences_left_in(visible_text(page)) == [], path


def book_from_check(client: FlaskClient) -> str:
    """Confirm on check your answers; returns the new request's id."""
    booked = post(client, "/book-a-review/check", {})
    assert booked.status_code == 302, booked.text
    return str(booked.headers["Location"].split("/")[2])


@pytest.mark.any_hour
def test_a_review_asked_for_while_the_council_is_down_is_booked_when_it_is_back(
        app: Flask, client: FlaskClient, backoffice_faults: Any,
        council: dict[str, Any]) -> None:
    sign_in(client, "Eleri")
    slot = answer_every_question(client, "video")
    check_page = client.get("/book-a-review/check")
    token = page_of(check_page).find("input", {"name": "csrf_token"})["value"]
    backoffice_faults.set(fail_status=503)
    booked = client.post("/book-a-review/check", data={"csrf_token": token})
    assert booked.status_code == 302  # kept, not lost
    request_id = booked.headers["Location"].split("/")[2]
    assert client.get(f"/your-requests/{request_id}/confirmation").status_code == 200
    page = visible_text(page_of(client.get("/your-requests")))
    assert "We cannot get the latest from the council" in page and "Requested" in page
    deliver(app)  # the back office is still down: the write waits
    assert not [b for b in council.values() if b["slot_id"] == slot]
    backoffice_faults.set()
    with app.extensions["portal"].store.transaction() as db:
        db.execute(update(OutboxMessage).values(next_attempt_at=OutboxMessage.created_at))
    deliver(app)
    assert [b["status"] for b in council.values() if b["slot_id"] == slot] == ["booked"]


def test_check_your_answers_sent_twice_makes_one_request(client: FlaskClient) -> None:
    sign_in(client, "Dafydd")
    answer_every_question(client, "phone")
    token = page_of(client.get("/book-a-review/check")).find(
        "input", {"name": "csrf_token"})["value"]
    with client.session_transaction() as kept:
        answers = dict(kept["review"])
    first = client.post("/book-a-review/check", data={"csrf_token": token})
    with client.session_transaction() as again:  # the second press carries the same answers
        again["review"] = answers
    second = client.post("/book-a-review/check", data={"csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"]
