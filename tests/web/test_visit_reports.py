"""Reporting a missed or late visit: the questions, the report kept while the council
is down and sent once, the council's answer arriving, and who may report."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.clock import today
from portal.store.models import OutboxMessage, VisitReport
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import deliver, post
from tests.web.test_access import carer_of_gwen


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's reports about visits."""
    held: dict[str, dict[str, Any]] = \
        running_sandboxes.back_office().visit_reports
    return held


def elaris_missed_visit() -> str:
    return f"v-p-1003-{today() - timedelta(days=2)}-1"


def report(client: FlaskClient, visit_id: str, what: str = "nobody-came",
           at_risk: str = "no", details: str = "") -> str:
    """Answer every question and send; returns the report's reference."""
    base = f"/your-care/visits/{visit_id}/report"
    for path, answers in ((base, {"what_happened": what}),
                          (f"{base}/at-risk", {"at_risk": at_risk}),
                          (f"{base}/anything-else", {"details": details}),
                          (f"{base}/check", {})):
        answered = post(client, path, answers)
        assert answered.status_code == 302, (path, answered.text)
    sent = page_of(client.get(answered.headers["Location"]))
    return sent.find(class_="portal-reference").get_text(strip=True)


@pytest.mark.any_hour
def test_eleri_reports_her_missed_visit_and_the_councils_answer_comes_back(
        app: Flask, notify: Any, council: dict[str, Any], base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    visits = page_of(eleri.get("/your-care/visits"))
    links = [a["href"] for a in visits.find_all("a", href=True)
             if a["href"].endswith(f"/{elaris_missed_visit()}/report")]
    assert links, "the missed visit offers a report"
    reference = report(eleri, elaris_missed_visit(), details="I waited until 2pm.")
    assert reference.startswith("VR-")
    assert not [r for r in council.values() if r["portal_reference"] == reference]
    deliver(app)
    held = [r for r in council.values() if r["portal_reference"] == reference]
    assert len(held) == 1 and held[0]["visit_id"] == elaris_missed_visit()
    assert held[0]["priority"] == "routine" and held[0]["what_happened"] == "nobody-came"
    told = [n for n in notify.sent if n["email_address"] == "eleri.price@example.com"]
    assert [n["subject"] for n in told] == ["The council has your report about a visit"]

    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/visit-reports/{held[0]['id']}"
                  "/answer", json={"answer": "We are sorry. The carer's car broke down; we "
                                             "have added a back-up carer.", "language": "en"},
                  timeout=5)
    page = visible_text(page_of(eleri.get("/your-requests")))
    assert "The council has answered" in page and "added a back-up carer" in page
    # The report's own page says the same, its headings in order, its reference once.
    link = page_of(eleri.get("/your-requests")).find(
        "a", string=lambda s: s and reference in s)["href"]
    own = page_of(eleri.get(link))
    assert "The council has answered" in visible_text(own)
    assert "added a back-up carer" in visible_text(own)
    levels = [int(h.name[1]) for h in own.find("main").find_all(["h1", "h2", "h3", "h4"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert visible_text(own.find("main")).count(reference) == 1


def test_someone_at_risk_is_told_not_to_wait_and_the_report_is_urgent(
        app: Flask, council: dict[str, Any]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri", "cy")
    # Asked out of turn, it goes back to the first question.
    out_of_turn = eleri.get(f"/your-care/visits/{elaris_missed_visit()}/report/at-risk")
    assert out_of_turn.headers["Location"].endswith(f"/{elaris_missed_visit()}/report")
    post(eleri, f"/your-care/visits/{elaris_missed_visit()}/report",
         {"what_happened": "came-late"})
    warning = visible_text(page_of(eleri.get(
        f"/your-care/visits/{elaris_missed_visit()}/report/at-risk")))
    assert "ffoniwch 999" in warning
    reference = report(eleri, elaris_missed_visit(), what="came-late", at_risk="yes")
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["priority"] == "urgent"


def test_each_question_says_what_is_wrong_in_welsh(client: FlaskClient) -> None:
    sign_in(client, "Eleri", "cy")
    empty = post(client, f"/your-care/visits/{elaris_missed_visit()}/report", {})
    assert empty.status_code == 400
    assert "Dewiswch beth ddigwyddodd" in page_of(empty).find(
        class_="govuk-error-summary").get_text()


def test_only_a_recent_visit_of_theirs_can_be_reported(client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    gwens = f"v-p-1001-{today() - timedelta(days=1)}-0"
    assert client.get(f"/your-care/visits/{gwens}/report").status_code == 404
    tomorrow = f"v-p-1003-{today() + timedelta(days=1)}-0"
    assert client.get(f"/your-care/visits/{tomorrow}/report").status_code == 404
    old = f"v-p-1003-{today() - timedelta(days=30)}-0"
    assert client.get(f"/your-care/visits/{old}/report").status_code == 404


def test_a_carer_with_plan_reports_for_gwen_and_is_named_on_it(app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"])
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    visit = f"v-p-1001-{today() - timedelta(days=1)}-0"
    reference = report(sian, visit, what="left-early")
    page = visible_text(page_of(gwen.get("/your-requests")))
    assert reference in page and "by Siân" in page


def test_reports_are_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any]) -> None:
    """The drill: three visits reported, the back office going down before they are
    sent."""
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    visits = [f"v-p-1003-{today() - timedelta(days=n)}-0" for n in (1, 2, 3)]
    for visit in visits:
        backoffice_faults.set()
        base = f"/your-care/visits/{visit}/report"
        post(eleri, base, {"what_happened": "came-late"})
        post(eleri, f"{base}/at-risk", {"at_risk": "no"})
        post(eleri, f"{base}/anything-else", {"details": "Dros awr yn hwyr"})
        # Down by the time they send it: it is kept all the same.
        backoffice_faults.set(fail_status=503)
        assert post(eleri, f"{base}/check", {}).status_code == 302
    deliver(app)  # every try fails: the council is down
    store = app.extensions["portal"].store
    with store.transaction() as db:
        references = list(db.scalars(select(VisitReport.reference)))
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == "visit-report-send", OutboxMessage.status == "pending"))
    assert len(references) == 3 and waiting == 3
    assert not [r for r in council.values() if r["portal_reference"] in references]
    # While it is down, Your requests shows them from the portal's records.
    page = visible_text(page_of(eleri.get("/your-requests")))
    assert all(reference in page for reference in references)
    # A new report cannot start without the council (the visit is checked there).
    assert eleri.get(f"/your-care/visits/{visits[0]}/report").status_code == 503

    backoffice_faults.set()
    deliver(app)
    deliver(app)  # again: nothing is sent twice
    held = [r for r in council.values() if r["portal_reference"] in references]
    assert sorted(r["portal_reference"] for r in held) == sorted(references)


def test_a_visit_reported_twice_is_one_report(app: Flask, client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    first = report(client, elaris_missed_visit())
    again = report(client, elaris_missed_visit(), what="came-late")
    assert again == first
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(VisitReport)) == 1
