"""Alerts about visits as they happen: to whoever chose each kind, once a visit and
kind however often the feed repeats itself and however many workers read it, in each
reader's language, held through quiet hours, stopped in one step, and nothing lost
while the council's back office is down."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.clients.errors import ServiceError
from portal.clock import LONDON, local_date, utcnow
from portal.services import visit_alerts
from portal.store.models import OutboxMessage
from tests.conftest import csrf_token, sign_in
from tests.web.test_access import carer_of_gwen
from tests.web.test_visits_as_they_happen import ELERI, at, say

pytestmark = pytest.mark.usefixtures("news_forgotten")


def choose(client: FlaskClient, wanted: list[str], quiet: str = "none",
           any_hour: bool = False, email: str = "eleri@example.com") -> None:
    """On "How we contact you": by email, these kinds, these quiet hours."""
    saved = client.post("/account/contact", data={
        "csrf_token": csrf_token(client, "/account/contact"), "contact_by": "email",
        "email": email, "phone": "", "wanted": wanted, "quiet": quiet,
        **({"missed_any_hour": ["yes"]} if any_hour else {})})
    assert saved.status_code == 302, saved.text


def follow(app: Flask, now: datetime | None = None) -> int:
    """What a worker does every few seconds: act on the council's visit events."""
    deps = app.extensions["portal"]
    return visit_alerts.follow_council(deps.store, deps.backoffice, deps.councils.first,
                                       deps.service_url, now or utcnow())


def alerts(app: Flask) -> list[OutboxMessage]:
    with app.extensions["portal"].store.transaction() as db:
        found = list(db.scalars(select(OutboxMessage).where(
            OutboxMessage.template.startswith("visit-")).order_by(OutboxMessage.created_at)))
        db.expunge_all()
    return found


def tonight(index: int = 3) -> str:
    """Today's visit of Eleri's (3: 8:30pm, before the tests' 11:40pm)."""
    return f"v-{ELERI}-{local_date(utcnow())}-{index}"


def test_an_alert_goes_once_to_whoever_chose_it_in_their_language(
        app: Flask, base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri", "cy")
    choose(eleri, ["visit-late"])
    today = local_date(utcnow())
    say(base_settings, ELERI, tonight(), status="late", expected_start=at(today, 21, 5))
    assert follow(app) == 1
    (alert,) = alerts(app)
    assert alert.template == "visit-late-email-cy" and alert.recipient == "eleri@example.com"
    assert '"visit": "eich ymweliad 8:30pm heddiw"' in alert.personalisation
    assert "Disgwylir y gweithiwr gofal am 9:05pm bellach." in alert.personalisation
    assert alert.unsubscribe_url and alert.unsubscribe_url.endswith("/visit-late")
    # The feed read again, and the same news said again: nothing more is sent.
    assert follow(app) == 0
    say(base_settings, ELERI, tonight(), status="late", expected_start=at(today, 21, 10))
    assert follow(app) == 0
    # Another kind they did not choose: nothing.
    say(base_settings, ELERI, tonight(2), status="missed")
    assert follow(app) == 0
    # The second message: the visit has started.
    say(base_settings, ELERI, tonight(), status="in-progress",
        actual={"start": at(today, 21, 2), "end": None})
    assert follow(app) == 1
    started = alerts(app)[-1]
    assert started.template == "visit-started-email-cy"
    assert '"arrived": "9:02pm"' in started.personalisation
    assert len(alerts(app)) == 2


def test_no_alert_goes_to_anyone_who_did_not_choose_it(app: Flask, base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    say(base_settings, ELERI, tonight(), status="late")
    say(base_settings, ELERI, tonight(2), status="missed")
    assert follow(app) == 0 and alerts(app) == []


def test_someone_with_the_notifications_scope_hears_of_the_persons_visit(
        app: Flask, base_settings: Any) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan", "notifications"], carer_language="en")
    choose(sian, ["visit-missed", "visit-changed"], email="sian@example.com")
    today = local_date(utcnow())
    say(base_settings, "p-1001", f"v-p-1001-{today}-1", status="missed")  # her 6:30pm visit
    say(base_settings, "p-1001", f"v-p-1001-{today + timedelta(days=1)}-0",
        status="cancelled")  # tomorrow's: said on its page, not sent
    assert follow(app) == 1
    (alert,) = alerts(app)
    assert alert.template == "visit-missed-email-en" and alert.recipient == "sian@example.com"
    assert '"visit_start": "Gwen Morgan\'s 6:30pm visit today"' in alert.personalisation
    assert '"phone":' in alert.personalisation


def test_two_workers_reading_the_feed_at_once_send_each_alert_once(
        app: Flask, base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    choose(eleri, ["visit-late", "visit-missed", "visit-changed"])
    today = local_date(utcnow())
    for index, news in enumerate(({"status": "late"}, {"status": "missed"},
                                  {"status": "moved", "moved_to": {
                                      "start": at(today, 22), "end": at(today, 22, 30)}})):
        say(base_settings, ELERI, tonight(index + 1), **news)
    counts: list[int] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        counts.append(follow(app))

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(counts) == [0, 3]
    assert sorted(a.template for a in alerts(app)) == [
        "visit-changed-email-en", "visit-late-email-en", "visit-missed-email-en"]
    moved = next(a for a in alerts(app) if a.template.startswith("visit-changed"))
    assert "has moved to 10pm" in moved.personalisation


@pytest.mark.parametrize("any_hour", [False, True])
def test_quiet_hours_hold_an_alert_until_they_end_but_a_missed_visit_if_asked(
        app: Flask, base_settings: Any, any_hour: bool) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    choose(eleri, ["visit-late", "visit-missed"], quiet="22-7", any_hour=any_hour)
    say(base_settings, ELERI, tonight(), status="late")
    say(base_settings, ELERI, tonight(2), status="missed")
    assert follow(app) == 2  # at 11:40pm, in her quiet hours
    morning = datetime.combine(local_date(utcnow()) + timedelta(days=1), time(7), LONDON)
    held = {a.template: a.next_attempt_at for a in alerts(app)}
    assert held["visit-late-email-en"] == morning
    assert (held["visit-missed-email-en"] < morning) == any_hour


@pytest.mark.parametrize("quiet, hour, held", [
    ((22, 7), 21, False), ((22, 7), 22, True), ((22, 7), 6, True), ((22, 7), 7, False),
    ((13, 15), 14, True), ((13, 15), 15, False), ((9, 9), 9, False)])
def test_quiet_hours_begin_and_end_on_the_hour(quiet: tuple[int, int], hour: int,
                                               held: bool) -> None:
    from portal.services.contact import Recipient

    to = Recipient("email", "a@example.com", "en", quiet=quiet)
    now = datetime.combine(local_date(utcnow()), time(hour, 0), LONDON)
    until = visit_alerts.quiet_until(to, "visit-late", now)
    assert (until is not None) == held
    if until is not None:
        assert until > now and until.astimezone(LONDON).hour == quiet[1]


def test_the_link_in_an_alert_stops_that_kind_in_one_step(
        app: Flask, base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    choose(eleri, ["visit-late", "visit-missed"])
    say(base_settings, ELERI, tonight(), status="late")
    assert follow(app) == 1
    link = alerts(app)[0].unsubscribe_url
    assert link is not None
    anyone = app.test_client()
    assert anyone.post(link.removeprefix("http://portal.test")).status_code == 200
    say(base_settings, ELERI, tonight(2), status="late")
    say(base_settings, ELERI, tonight(1), status="missed")
    assert follow(app) == 1  # the missed visit only: late ones stopped
    assert alerts(app)[-1].template == "visit-missed-email-en"


def test_nothing_is_lost_or_sent_twice_while_the_back_office_is_down(
        app: Flask, base_settings: Any, backoffice_faults: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    choose(eleri, ["visit-late"])
    say(base_settings, ELERI, tonight(), status="late")
    backoffice_faults.set(fail_status=503)
    with pytest.raises(ServiceError):
        follow(app)
    assert alerts(app) == []
    backoffice_faults.set()
    assert follow(app) == 1
    assert follow(app) == 0
    assert len(alerts(app)) == 1


def test_the_sandbox_feed_gives_each_event_in_order_from_where_it_was(
        base_settings: Any) -> None:
    say(base_settings, ELERI, tonight(), status="late")
    say(base_settings, ELERI, tonight(2), status="missed")
    feed = requests.get(f"{base_settings.BACKOFFICE_URL}/v1/visit-events", timeout=5,
                        headers={"Authorization": f"Bearer {base_settings.BACKOFFICE_API_KEY}"})
    body = feed.json()
    assert [e["status"] for e in body["events"]][-2:] == ["late", "missed"]
    after = requests.get(f"{base_settings.BACKOFFICE_URL}/v1/visit-events", timeout=5,
                         params={"after": body["next"]},
                         headers={"Authorization": f"Bearer {base_settings.BACKOFFICE_API_KEY}"})
    assert after.json()["events"] == []
