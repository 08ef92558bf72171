"""Telling the council about a change: each kind's questions, what the council gets
(and how urgent), the change kept while the council is down and sent once, the
message that says the council has it, and who may tell it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.clock import today, utcnow
from portal.services import changes
from portal.store.models import Account, Change, OutboxMessage
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import deliver, post
from tests.web.test_access import carer_of_gwen

START = "/your-care/tell-us-about-a-change"


def parts(day: date, name: str = "on") -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}


KINDS = ("going-into-hospital", "home-from-hospital", "new-address", "new-phone",
         "needs-changed", "carer-stopping")


def answers(kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Each kind's answers, question by question, with dates from today as the
    test's clock has it."""
    return {
        "going-into-hospital": [("when", parts(today() + timedelta(days=3))),
                                ("hospital", {"hospital": "Ysbyty Gwynedd, ward Alaw"}),
                                ("anything-else", {"details": ""})],
        "home-from-hospital": [("when", parts(today() + timedelta(days=10))),
                               ("hospital", {"hospital": ""}),
                               ("anything-else", {"details": "Needs help with stairs now"})],
        "new-address": [("address", {"line_1": "2 Ffordd y Môr", "line_2": "", "town": "Bangor",
                                     "postcode": "ll57 2pw"}),
                        ("when", parts(today() - timedelta(days=5))),
                        ("anything-else", {"details": ""})],
        "new-phone": [("phone", {"phone": "01248 960 123"}), ("anything-else", {"details": ""})],
        "needs-changed": [("what", {"needs": ["getting-about", "memory"]}),
                          ("tell-us", {"details": "Two falls this week, and forgets meals"}),
                          ("at-risk", {"at_risk": "no"})],
        "carer-stopping": [("who", {"carer_name": "Siân Morgan"}),
                           ("when", parts(today() + timedelta(days=14))),
                           ("anything-else", {"details": ""})],
    }[kind]


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's changes, as told to it."""
    held: dict[str, dict[str, Any]] = \
        running_sandboxes.back_office().changes
    return held


@pytest.fixture
def bodies(running_sandboxes: Any) -> Iterator[list[dict[str, Any]]]:
    """What the portal sent the sandbox back office about changes, as it sent it."""
    seen: list[dict[str, Any]] = []
    app = running_sandboxes.servers["backoffice"].app

    def keep(response: Any) -> Any:
        from flask import request
        if request.method == "POST" and request.path.endswith("/changes"):
            seen.append(request.get_json())
        return response
    app.after_request_funcs.setdefault(None, []).append(keep)
    yield seen
    app.after_request_funcs[None].remove(keep)


def tell(client: FlaskClient, kind: str, given: list[tuple[str, dict[str, Any]]] | None = None
         ) -> str:
    """Choose the kind, answer every question and send; returns the reference."""
    assert post(client, START, {"kind": kind}).status_code == 302
    for step, data in given or answers(kind):
        answered = post(client, f"{START}/{kind}/{step}", data)
        assert answered.status_code == 302, (step, answered.text)
    sent = post(client, f"{START}/{kind}/check", {})
    assert sent.status_code == 302, sent.text
    page = page_of(client.get(sent.headers["Location"]))
    return page.find(class_="portal-reference").get_text(strip=True)


def held_for(council: dict[str, Any], reference: str) -> dict[str, Any]:
    found = [c for c in council.values() if c["portal_reference"] == reference]
    assert len(found) == 1
    return found[0]


@pytest.mark.any_hour
def test_gwen_tells_the_council_she_is_going_into_hospital_in_welsh(
        app: Flask, notify: Any, council: dict[str, Any], base_settings: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy")
    home = page_of(gwen.get("/your-care"))
    assert home.find("a", href=START) is not None
    assert post(gwen, START, {"kind": "going-into-hospital"}).status_code == 302
    question = page_of(gwen.get(f"{START}/going-into-hospital/when"))
    assert question.find("h1").get_text(strip=True) == \
        "Ar ba ddyddiad mae'r arhosiad yn yr ysbyty'n dechrau?"
    for step, data in answers("going-into-hospital"):
        assert post(gwen, f"{START}/going-into-hospital/{step}", data).status_code == 302
    check = visible_text(page_of(gwen.get(f"{START}/going-into-hospital/check")))
    assert "Ysbyty Gwynedd, ward Alaw" in check and "brys" in check
    sent = post(gwen, f"{START}/going-into-hospital/check", {})
    page = page_of(gwen.get(sent.headers["Location"]))
    reference = page.find(class_="portal-reference").get_text(strip=True)
    assert reference.startswith("CH-")
    assert not [c for c in council.values() if c["portal_reference"] == reference]

    deliver(app)
    held = held_for(council, reference)
    assert held["kind"] == "going-into-hospital" and held["priority"] == "urgent"
    told = [n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"]
    assert [n["subject"] for n in told] == \
        ["Mae'r cyngor wedi cael y newid y dywedoch chi wrtho amdano"]
    assert reference in told[0]["body"] and "mynd i'r ysbyty" in told[0]["body"]

    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/changes/{held['id']}/answer",
                  json={"answer": "Diolch. Rydyn ni wedi rhoi'r ymweliadau ar saib.",
                        "language": "cy"}, timeout=5)
    listed = page_of(gwen.get("/your-requests"))
    assert reference in visible_text(listed)
    answer = listed.find(string=lambda s: s and "ymweliadau ar saib" in s)
    assert answer is not None and answer.parent["lang"] == "cy"
    # Its own page says the same, its headings in order.
    own = page_of(gwen.get(sent.headers["Location"].split("?")[0]))
    answer = own.find(string=lambda s: s and "ymweliadau ar saib" in s)
    assert answer is not None and answer.parent["lang"] == "cy"
    levels = [int(h.name[1]) for h in own.find("main").find_all(["h1", "h2", "h3", "h4"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("kind", KINDS)
def test_each_change_reaches_the_council_as_the_contract_says(
        app: Flask, kind: str, council: dict[str, Any], bodies: list[dict[str, Any]]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    reference = tell(eleri, kind)
    deliver(app)
    held = held_for(council, reference)
    body = next(b for b in bodies if b["portal_reference"] == reference)
    assert held["priority"] == ("urgent" if kind in changes.URGENT_KINDS else "routine")
    assert body["told_by"] == "Eleri Price"
    expected = {
        "going-into-hospital": {"effective_date": (today() + timedelta(days=3)).isoformat(),
                                "hospital": "Ysbyty Gwynedd, ward Alaw", "details": None},
        "home-from-hospital": {"hospital": None, "details": "Needs help with stairs now"},
        "new-address": {"address": {"line": ["2 Ffordd y Môr"], "city": "Bangor",
                                    "postal_code": "LL57 2PW"},
                        "effective_date": (today() - timedelta(days=5)).isoformat()},
        "new-phone": {"phone": "01248 960 123"},
        "needs-changed": {"needs": ["getting-about", "memory"], "at_risk": False,
                          "details": "Two falls this week, and forgets meals"},
        "carer-stopping": {"carer_name": "Siân Morgan",
                           "effective_date": (today() + timedelta(days=14)).isoformat()},
    }[kind]
    assert {k: body[k] for k in expected} == expected
    # What they told us shows again on the change's own page.
    page = visible_text(page_of(eleri.get(f"/your-care/changes/{_change_id(app, reference)}")))
    assert reference in page


def _change_id(app: Flask, reference: str) -> str:
    with app.extensions["portal"].store.transaction() as db:
        return str(db.scalar(select(Change.id).where(Change.reference == reference)))


def test_needs_that_put_someone_at_risk_are_urgent_and_warned_about(
        app: Flask, council: dict[str, Any]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri", "cy")
    given = [*answers("needs-changed")[:2], ("at-risk", {"at_risk": "yes"})]
    assert post(eleri, START, {"kind": "needs-changed"}).status_code == 302
    for step, data in given[:2]:
        post(eleri, f"{START}/needs-changed/{step}", data)
    assert "ffoniwch 999" in visible_text(page_of(eleri.get(f"{START}/needs-changed/at-risk")))
    reference = tell(eleri, "needs-changed", given)
    deliver(app)
    assert held_for(council, reference)["priority"] == "urgent"


@pytest.mark.parametrize("kind, step, data, message", [
    ("going-into-hospital", "when", {}, "Rhowch y dyddiad mae'r arhosiad yn yr ysbyty'n "
                                        "dechrau"),
    ("going-into-hospital", "when", parts(today() - timedelta(days=60)),
     "Rhaid i'r dyddiad fod o fewn y mis diwethaf"),
    ("home-from-hospital", "when", {"on-day": "31", "on-month": "2", "on-year": "2027"},
     "Rhaid i'r dyddiad fod yn ddyddiad go iawn"),
    ("carer-stopping", "when", parts(today() + timedelta(days=400)),
     "Rhaid i'r dyddiad fod o fewn y flwyddyn nesaf"),
    ("new-address", "address", {"line_1": "2 Ffordd y Môr", "town": "Bangor",
                                "postcode": "NOT A POSTCODE"},
     "Rhowch god post go iawn, fel CF10 1AA"),
    ("new-phone", "phone", {"phone": "12345"}, "Rhowch rif ffôn yn y DU"),
    ("needs-changed", "what", {"needs": ["flying"]}, "Dewiswch beth sydd wedi newid"),
    ("carer-stopping", "who", {"carer_name": "Siân\x00"}, "Rydyn ni wedi tynnu nodau"),
])
def test_each_mistake_is_explained_in_welsh(client: FlaskClient, kind: str, step: str,
                                            data: dict[str, Any], message: str) -> None:
    sign_in(client, "Eleri", "cy")
    assert post(client, START, {"kind": kind}).status_code == 302
    for earlier, answered in answers(kind):
        if earlier == step:
            break
        post(client, f"{START}/{kind}/{earlier}", answered)
    wrong = post(client, f"{START}/{kind}/{step}", data)
    assert wrong.status_code == 400
    summary = page_of(wrong).find(class_="govuk-error-summary")
    assert summary is not None and message in summary.get_text()


def test_questions_come_in_turn_and_a_change_returns_to_check_your_answers(
        client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    assert client.get(f"{START}/new-phone/phone").headers["Location"].endswith(
        f"{START}?kind=new-phone")
    post(client, START, {"kind": "new-phone"})
    assert client.get(f"{START}/new-phone/check").headers["Location"].endswith(
        f"{START}/new-phone/phone")
    for step, data in answers("new-phone"):
        post(client, f"{START}/new-phone/{step}", data)
    back = page_of(client.get(f"{START}/new-phone/phone?change=1")).find(
        class_="govuk-back-link")
    assert back["href"] == f"{START}/new-phone/check"
    changed = post(client, f"{START}/new-phone/phone?change=1", {"phone": "07700 900 982"})
    assert changed.headers["Location"].endswith(f"{START}/new-phone/check")
    assert "07700 900 982" in visible_text(page_of(client.get(f"{START}/new-phone/check")))
    assert client.get(f"{START}/flying/phone").status_code == 404
    assert client.get(f"{START}/new-phone/flying").status_code == 404
    assert client.get(f"{START}/flying/check").status_code == 404


def test_a_carer_with_plan_tells_the_council_for_gwen_and_is_named(app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"])
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    reference = tell(sian, "carer-stopping")
    page = visible_text(page_of(gwen.get("/your-requests")))
    assert reference in page and "by Siân" in page


def test_changes_are_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any], notify: Any) -> None:
    """The drill: three changes told, the back office going down before they are sent."""
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    references = []
    for kind in ("going-into-hospital", "new-phone", "needs-changed"):
        backoffice_faults.set()
        assert post(eleri, START, {"kind": kind}).status_code == 302
        for step, data in answers(kind):
            post(eleri, f"{START}/{kind}/{step}", data)
        backoffice_faults.set(fail_status=503)  # down by the time they send it
        sent = post(eleri, f"{START}/{kind}/check", {})
        assert sent.status_code == 302
        references.append(page_of(eleri.get(sent.headers["Location"])).find(
            class_="portal-reference").get_text(strip=True))
    deliver(app)  # every try fails: the council is down
    with app.extensions["portal"].store.transaction() as db:
        kept = db.scalar(select(func.count()).select_from(Change))
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == changes.SEND, OutboxMessage.status == "pending"))
    assert kept == 3 and waiting == 3
    assert not [c for c in council.values() if c["portal_reference"] in references]
    page = visible_text(page_of(eleri.get("/your-requests")))
    assert all(reference in page for reference in references)
    assert "We cannot get the latest from the council" in page

    backoffice_faults.set()
    deliver(app)
    deliver(app)  # again: nothing is sent twice
    assert sorted(c["portal_reference"] for c in council.values()
                  if c["portal_reference"] in references) == sorted(references)
    told = [n for n in notify.sent if n["email_address"] == "eleri.price@example.com"]
    assert len(told) == 3


def test_the_same_answers_sent_twice_at_once_are_one_change(app: Flask) -> None:
    deps = app.extensions["portal"]
    client = app.test_client()
    sign_in(client, "Eleri")
    with deps.store.transaction() as db:
        account_id = db.scalar(select(Account.id).where(Account.person_id == "W06000002:p-1003"))
    told = changes.Told("new-phone", phone="01248 960 123")
    made: list[str] = []

    def send() -> None:
        made.append(changes.tell(deps.store, "W06000002:p-1003", "Eleri Price", account_id,
                                 "Eleri Price", told, "one-journey", utcnow()).reference)
    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 1 and len(made) == 4
    with deps.store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Change)) == 1
