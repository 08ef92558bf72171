"""Messages people can do without (review reminders) carry Notify's one-click
unsubscribe, and one step stops them: from the mail program's button, or from the
link in the email after a page that asks first, in the person's language. Messages
about something booked, changed or paid are never stoppable."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.clock import utcnow
from portal.messages import TEMPLATES, VISIT_ALERTS
from portal.store.models import Account, OutboxMessage
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import choose_first_time, deliver, post
from tests.web.test_reviews import book_from_check, reminders_of


def cancel(app: Flask, client: FlaskClient, request_id: str) -> None:
    post(client, f"/your-requests/{request_id}/cancel", {})
    deliver(app)


def book_a_late_review(app: Flask, client: FlaskClient) -> str:
    """Book the last day offered, so its reminder, the day before, is still to come;
    the council confirms it, and the booking's messages go."""
    post(client, "/book-a-review", {"reason": "plan-due"})
    post(client, "/book-a-review/how", {"mode": "phone"})
    choose_first_time(client, day_offered=-1)
    post(client, "/book-a-review/anything-else", {"language_support": "none"})
    request_id = book_from_check(client)
    deliver(app)
    return request_id


def the_reminder(app: Flask, request_id: str) -> OutboxMessage:
    [reminder] = [r for r in reminders_of(app, request_id) if r.channel == "email"]
    return reminder


def stopped_for(app: Flask, email: str) -> str:
    with app.extensions["portal"].store.transaction() as db:
        return str(db.scalar(select(Account.stopped).where(Account.email == email)))


# Alerts about visits are had only by choice: stopped until chosen.
UNCHOSEN = " ".join(VISIT_ALERTS)


def test_only_reminders_and_alerts_about_visits_may_be_stopped() -> None:
    assert {t.key for t in TEMPLATES if t.may_stop} == {"review-reminder", *VISIT_ALERTS}


@pytest.mark.parametrize("name, language, email", [
    ("Gwen", "cy", "gwen.morgan@example.com"), ("Dafydd", "en", "dafydd.hughes@example.com")])
def test_a_mail_programs_one_click_stops_reminders_and_a_tick_brings_them_back(
        app: Flask, notify: Any, name: str, language: str, email: str) -> None:
    person = app.test_client()
    sign_in(person, name, language)
    request_id = book_a_late_review(app, person)
    reminder = the_reminder(app, request_id)
    assert reminder.template == f"review-reminder-email-{language}"
    link = reminder.unsubscribe_url
    assert link and link.startswith("http://portal.test/stop-emails/")
    with app.extensions["portal"].store.transaction() as db:  # the day before comes
        db.execute(update(OutboxMessage).where(OutboxMessage.id == reminder.id)
                   .values(next_attempt_at=utcnow()))
    deliver(app)
    [sent] = [n for n in notify.sent if n["template"]["id"] and n["reference"] == reminder.id]
    assert sent["one_click_unsubscribe_url"] == link and link in sent["body"]

    # The mail program's button: a POST with nothing in it, no cookie, no form token.
    stopped = app.test_client().post(urlsplit(link).path)
    assert stopped.status_code == 200
    assert stopped_for(app, email) == f"review-reminder {UNCHOSEN}"
    again = app.test_client().post(urlsplit(link).path)  # pressed twice: still stopped once
    assert again.status_code == 200 and stopped_for(app, email) == f"review-reminder {UNCHOSEN}"

    cancel(app, person, request_id)
    later = book_a_late_review(app, person)
    assert reminders_of(app, later) == []  # no reminder for her next review...
    assert any(m.template.startswith("review-booked") for m in messages_about(app, later))

    page = page_of(person.get("/account/contact"))
    box = page.find("input", {"name": "wanted", "value": "review-reminder"})
    assert box is not None and not box.has_attr("checked")
    saved = person.post("/account/contact", data={
        "csrf_token": csrf_token(person, "/account/contact"), "contact_by": "email",
        "email": email, "phone": "", "wanted": ["review-reminder"]})
    assert saved.status_code == 302 and stopped_for(app, email) == UNCHOSEN
    cancel(app, person, later)
    assert the_reminder(app, book_a_late_review(app, person))  # ...until she ticks it again


def messages_about(app: Flask, request_id: str) -> list[OutboxMessage]:
    with app.extensions["portal"].store.transaction() as db:
        return list(db.scalars(select(OutboxMessage).where(
            OutboxMessage.about == f"review:{request_id}")))


@pytest.mark.parametrize("name, language, question, done", [
    ("Gwen", "cy", "Stopio nodiadau atgoffa'r diwrnod cyn adolygiad?",
     "Fyddwn ni ddim yn anfon nodiadau atgoffa'r diwrnod cyn adolygiad atoch chi mwyach."),
    ("Dafydd", "en", "Stop reminders the day before a review?",
     "We will not send you reminders the day before a review any more."),
])
def test_the_link_in_the_email_asks_first_in_the_persons_language(
        app: Flask, name: str, language: str, question: str, done: str) -> None:
    person = app.test_client()
    sign_in(person, name, language)
    request_id = book_a_late_review(app, person)
    path = urlsplit(the_reminder(app, request_id).unsubscribe_url or "").path
    reader = app.test_client()  # their mail, opened on another device, not signed in
    asked = page_of(reader.get(path))
    assert asked.html["lang"] == language and asked.h1.get_text(strip=True) == question
    assert the_reminder(app, request_id).status == "pending"  # opening it changed nothing
    confirmed = reader.post(path)
    assert confirmed.status_code == 200
    assert done in visible_text(page_of(confirmed))
    assert reminders_of(app, request_id) == []  # the one waiting goes no further
    assert reminders_of(app, request_id, status="withdrawn")


def test_a_link_we_did_not_send_or_a_message_that_cannot_be_stopped_finds_nothing(
        app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Dafydd")
    link = urlsplit(the_reminder(app, book_a_late_review(app, person)).unsubscribe_url or "").path
    token = link.split("/")[2]
    client = app.test_client()
    for path in ("/stop-emails/not-a-link-we-sent/review-reminder",
                 f"/stop-emails/{token}/payment-receipt", f"/stop-emails/{token}/invitation"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert stopped_for(app, "dafydd.hughes@example.com") == UNCHOSEN
