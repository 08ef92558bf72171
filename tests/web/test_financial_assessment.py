"""Asking for the council's financial assessment: the estimate's answers carried over,
the home, evidence and declaration; the request kept while the council is down and
sent once, its files forgotten once the council has them; the message that says the
council has it, in the reader's language; the council's decision beside the estimate
on Your requests; asking the council to look at its decision again; and who may ask."""

from __future__ import annotations

import base64
import io
import statistics
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.clock import LONDON
from portal.sandbox.backoffice.data import financial_assessment_problem
from portal.sandbox.backoffice.documents import pdf
from portal.services import disclosure, financial_assessments
from portal.store.models import ChargingReview, FinancialAssessment, OutboxMessage, RequestFile
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver, post, publish
from tests.web.test_access import carer_of_gwen
from tests.web.test_estimate import PENSIONER, hidden_fields, walk
from tests.web.test_public_data import last_full_week, row_of

START = "/your-charges/financial-assessment"
CHECK = f"{START}/check"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's financial assessments, as asked of it."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().financial_assessments
    return held


def carry_over(client: FlaskClient, answers: dict[str, dict[str, str]] | None = None) -> Any:
    """Work out the estimate, then press "Ask for a financial assessment" on it."""
    estimate = page_of(walk(client, answers or PENSIONER))
    button = estimate.find("button", attrs={"formaction": START})
    assert button is not None
    return client.post(START, data=hidden_fields(estimate))


def send(client: FlaskClient, files: dict[str, tuple[bytes, str]] | None = None,
         declared: bool = True) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf_token(client, CHECK)}
    if declared:
        data["declared"] = "y"
    for field, (content, name) in (files or {}).items():
        data[field] = (io.BytesIO(content), name)
    return client.post(CHECK, data=data, content_type="multipart/form-data")


def ask(client: FlaskClient, files: dict[str, tuple[bytes, str]] | None = None) -> Any:
    assert carry_over(client).headers["Location"] == f"{START}/home"
    assert post(client, f"{START}/home", {"owns_home": "yes",
                                          "lives_with_partner": "no"}).status_code == 302
    return send(client, files)


def reference_of(client: FlaskClient, sent: Any) -> str:
    page = page_of(client.get(sent.headers["Location"]))
    return page.find(class_="portal-reference").get_text(strip=True)


def test_gwen_asks_in_welsh_and_reads_the_councils_decision_beside_her_estimate(
        app: Flask, council: dict[str, Any], notify: Any, base_settings: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy")
    letter = pdf(["Llythyr Pensiwn y Wladwriaeth"])
    sent = ask(gwen, {"pension_letter": (letter, "pensiwn.pdf"),
                      "bank_statement": (PNG, "banc.png")})
    assert sent.status_code == 302
    reference = reference_of(gwen, sent)
    page = visible_text(page_of(gwen.get("/your-requests")))
    assert reference in page and "£69.45" in page

    deliver(app)
    deliver(app)  # again: asked once
    held = [t for t in council.values() if t["portal_reference"] == reference]
    assert len(held) == 1
    assert sorted(held[0]["evidence"]) == ["banc.png", "pensiwn.pdf"]
    with app.extensions["portal"].store.transaction() as db:
        contents = db.scalars(select(RequestFile.content)).all()
    assert contents and all(c is None for c in contents)  # the council has them now
    told = [n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"
            and reference in n["body"]]
    assert [n["subject"] for n in told] == ["Mae gan y cyngor eich cais am asesiad ariannol"]

    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/financial-assessments/"
                  f"{held[0]['id']}/answer", timeout=5,
                  json={"answer": "Mae eich cynilion o dan y terfyn.", "language": "cy",
                        "weekly_charge_pence": 6500})
    assessment_id = sent.headers["Location"].rsplit("/", 1)[-1].split("?")[0]
    detail = page_of(gwen.get(f"/your-charges/financial-assessments/{assessment_id}"))
    text = visible_text(detail)
    assert "£69.45 yr wythnos" in text and "£65.00 yr wythnos" in text
    assert "Mae eich cynilion o dan y terfyn." in text
    assert "Os ydych chi'n meddwl bod y penderfyniad yn anghywir" in text


def test_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    assert carry_over(eleri).status_code == 302
    post(eleri, f"{START}/home", {"owns_home": "no", "lives_with_partner": "no"})
    backoffice_faults.set(fail_status=503)
    sent = send(eleri, {"other_evidence": (PNG, "bill.png")})
    assert sent.status_code == 302
    reference = reference_of(eleri, sent)
    deliver(app)
    with app.extensions["portal"].store.transaction() as db:
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == financial_assessments.SEND,
            OutboxMessage.status == "pending"))
        kept = db.scalars(select(RequestFile.content)).all()
    assert waiting == 1 and kept == [PNG]
    assert not [t for t in council.values() if t["portal_reference"] == reference]
    page = visible_text(page_of(eleri.get("/your-requests")))
    assert reference in page and "We cannot get the latest from the council" in page
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    assert len([t for t in council.values() if t["portal_reference"] == reference]) == 1


def test_the_same_request_sent_twice_is_one(app: Flask) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    carry_over(eleri)
    post(eleri, f"{START}/home", {"owns_home": "no", "lives_with_partner": "yes"})
    token = csrf_token(eleri, CHECK)
    first = eleri.post(CHECK, data={"csrf_token": token, "declared": "y"})
    assert first.status_code == 302
    again = eleri.post(CHECK, data={"csrf_token": token, "declared": "y"})
    assert again.headers["Location"] == START  # the answers went with the first
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(FinancialAssessment)) == 1


@pytest.mark.parametrize(("files", "said"), [
    ({"pension_letter": (b"not a pdf at all", "letter.pdf")},
     "Rhaid i'r ffeil a ddewiswyd fod yn PDF, JPG neu PNG"),
    ({"bank_statement": (b"", "empty.png")}, "Mae'r ffeil a ddewiswyd yn wag"),
])
def test_a_file_that_may_not_be_sent_is_refused_in_welsh(
        app: Flask, files: dict[str, tuple[bytes, str]], said: str) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy")
    carry_over(gwen)
    post(gwen, f"{START}/home", {"owns_home": "shared", "lives_with_partner": "no"})
    refused = send(gwen, files)
    assert refused.status_code == 400
    page = page_of(refused)
    assert said in page.find(class_="govuk-error-summary").get_text()
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(FinancialAssessment)) == 0


def test_nothing_is_sent_without_the_declaration(app: Flask) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    carry_over(gwen)
    post(gwen, f"{START}/home", {"owns_home": "yes", "lives_with_partner": "no"})
    refused = send(gwen, declared=False)
    assert refused.status_code == 400
    assert "Confirm that what you have told us is true" in visible_text(page_of(refused))


def test_answers_changed_on_the_way_are_refused(app: Flask) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    estimate = page_of(walk(gwen, PENSIONER))
    sent = gwen.post(START, data={**hidden_fields(estimate), "savings": "-1"})
    assert sent.headers["Location"] == "/what-will-i-pay"
    assert gwen.get(f"{START}/home").headers["Location"] == START


def test_a_carer_with_money_asks_for_gwen_and_is_named(app: Flask, council: dict[str, Any]
                                                       ) -> None:
    _gwen, sian, _ = carer_of_gwen(app, ["money"])
    sent = ask(sian)
    assert sent.status_code == 302
    deliver(app)
    reference = reference_of(sian, sent)
    held = [t for t in council.values() if t["portal_reference"] == reference]
    assert len(held) == 1
    page = visible_text(page_of(sian.get("/your-requests")))
    assert reference in page


def test_a_carer_without_money_may_not_ask(app: Flask) -> None:
    _gwen, sian, _ = carer_of_gwen(app, ["plan", "reviews"])
    assert sian.get(START).status_code == 403
    estimate = page_of(walk(sian, PENSIONER))
    assert sian.post(START, data=hidden_fields(estimate)).status_code == 403
    page = visible_text(page_of(sian.get("/your-requests")))
    assert "Financial assessments" not in page


def test_the_request_as_the_contract_has_it(app: Flask, running_sandboxes: Any) -> None:
    """What the worker sends the council: the answers in pence, the files in base64."""
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    ask(gwen, {"bank_statement": (PNG, "statement.png")})
    with app.extensions["portal"].store.transaction() as db:
        row = db.scalars(select(FinancialAssessment)).one()
    body = financial_assessments._contract(app.extensions["portal"].store, row)
    assert body["answers"]["weekly_income_pence"] == {"state_pension": 18000,
                                                      "pension_credit": 14405}
    assert body["answers"]["disability_benefit"] == "attendance-allowance-higher"
    assert body["estimate_pence"] == 6945 and body["declared"] is True
    assert base64.b64decode(body["evidence"][0]["data"]) == PNG
    assert financial_assessment_problem(body) is None


@pytest.fixture
def asked_last_week(council: dict[str, Any]) -> Any:
    """Twelve financial assessments asked for through the portal last week, eleven of
    them decided 1 to 11 days later, as the back office holds them; gone after."""
    week = last_full_week()
    begins = datetime.combine(week.start, time(9), LONDON).astimezone(UTC)
    made = {}
    for number in range(12):
        asked = begins + timedelta(hours=number)
        history = [{"status": "received", "at": _utc(asked)}]
        if number < 11:
            history.append({"status": "completed",
                            "at": _utc(asked + timedelta(days=min(number + 1, 5)))})
        made[f"t-week-{number}"] = {
            "id": f"t-week-{number}", "person_id": "p-1001", "evidence": [], "outcome": None,
            "priority": "routine", "status": history[-1]["status"],
            "portal_reference": f"FA-WEEK{number}", "authored_on": _utc(asked),
            "answer": None, "answer_language": None, "history": history}
    council.update(made)
    yield week
    for key in made:
        council.pop(key, None)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.before_the_worker
def test_the_data_page_counts_those_asked_online_and_how_long_deciding_took(
        app: Flask, client: FlaskClient, council: dict[str, Any], asked_last_week: Any) -> None:
    """Counted from every financial assessment the back office holds (the area's, and
    twelve asked last week), as the data page publishes them."""
    publish(app)
    week = asked_last_week

    def day(moment: str) -> Any:
        return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(LONDON).date()

    asked = [t for t in council.values() if week.start <= day(t["authored_on"]) <= week.end]
    decided = [(datetime.fromisoformat(t["history"][-1]["at"].replace("Z", "+00:00"))
                - datetime.fromisoformat(t["authored_on"].replace("Z", "+00:00"))
                ).total_seconds() / 86400 for t in council.values()
               if t["status"] == "completed" and week.start <= day(t["history"][-1]["at"])
               <= week.end]
    row = row_of(client, "financial-assessments", week)
    assert len(asked) >= 12 and row["asked_online"] == disclosure.count(len(asked))
    assert row["decided"] == disclosure.count(len(decided))
    assert len(decided) >= 10
    assert row["median_days_to_decide"] == pytest.approx(statistics.median(decided), abs=0.1)
    page = visible_text(page_of(client.get("/how-care-at-home-is-going")))
    assert "Financial assessments asked for online" in page


# Asking the council to look at its decision again ------------------------------------

def decided(app: Flask, client: FlaskClient, council: dict[str, Any], base_settings: Any,
            weekly_charge_pence: int = 6500) -> tuple[str, dict[str, Any]]:
    """Ask for an assessment, let the worker give it to the council, and have the
    council decide it: the assessment's id here, and the council's task."""
    sent = ask(client)
    reference = reference_of(client, sent)
    deliver(app)
    task = next(t for t in council.values() if t["portal_reference"] == reference)
    answered = requests.post(
        f"{base_settings.BACKOFFICE_URL}/_sandbox/financial-assessments/{task['id']}/answer",
        json={"answer": "Your pension and allowance were counted.", "language": "en",
              "weekly_charge_pence": weekly_charge_pence}, timeout=5)
    assert answered.ok
    return sent.headers["Location"].rsplit("/", 1)[-1].split("?")[0], task


@pytest.fixture
def looked_again(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's requests to look again at a charging decision."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().charging_reviews
    return held


def test_gwen_asks_in_welsh_for_the_decision_to_be_looked_at_again_once(
        app: Flask, council: dict[str, Any], looked_again: dict[str, Any], notify: Any,
        base_settings: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy")
    assessment_id, task = decided(app, gwen, council, base_settings)
    page = f"/your-charges/financial-assessments/{assessment_id}"
    detail = page_of(gwen.get(page))
    button = detail.find("a", string=lambda s: s and "Gofyn i'r cyngor edrych arno eto" in s)
    assert button is not None and button["href"] == f"{page}/look-again"

    nothing = post(gwen, f"{page}/look-again", {"reasons": "   "})
    assert nothing.status_code == 400
    summary = page_of(nothing).find(class_="govuk-error-summary").get_text()
    assert "Rhowch pam rydych chi'n meddwl bod y penderfyniad yn anghywir" in summary

    said = "Fe wnaethoch chi gyfrif fy Lwfans Gweini i gyd.\nNid oes gen i ofal yn y nos' OR '1'='1"
    sent = post(gwen, f"{page}/look-again", {"reasons": said})
    assert sent.headers["Location"] == f"{page}?asked=1"
    confirmation = page_of(gwen.get(sent.headers["Location"]))
    reference = confirmation.find(class_="portal-reference").get_text(strip=True)
    assert reference.startswith("CR-")
    assert confirmation.find(class_="portal-as-written").get_text() == said  # as typed
    # Sent again (from a second page, say): asked once, and asked no more.
    again = gwen.post(f"{page}/look-again", data={"csrf_token": csrf_token(gwen, "/account"),
                                                  "reasons": "Eto"})
    assert again.headers["Location"] == page
    assert gwen.get(f"{page}/look-again").headers["Location"] == page

    deliver(app)
    deliver(app)
    held = [r for r in looked_again.values() if r["portal_reference"] == reference]
    assert len(held) == 1
    assert held[0]["part_of"] == task["id"] and held[0]["reasons"] == said
    told = [n for n in notify.sent if n["email_address"] == "gwen.morgan@example.com"
            and reference in n["body"]]
    assert [n["subject"] for n in told] == [
        "Mae'r cyngor wedi cael eich cais iddo edrych eto ar ei benderfyniad"]

    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/charging-reviews/"
                  f"{held[0]['id']}/answer", timeout=5,
                  json={"answer": "Nid ydym yn cyfrif rhan y nos o'ch lwfans.",
                        "language": "cy", "weekly_charge_pence": 2850})
    text = visible_text(page_of(gwen.get(page)))
    assert "£28.50 yr wythnos" in text and "£65.00 yr wythnos" in text
    assert "Nid ydym yn cyfrif rhan y nos o'ch lwfans." in text
    assert "Ombwdsmon Gwasanaethau Cyhoeddus Cymru" in text
    listed = visible_text(page_of(gwen.get("/your-requests")))
    assert "Edrych ar y penderfyniad eto" in listed and "£28.50 yr wythnos" in listed


def test_the_council_is_asked_to_look_again_only_once_it_has_decided(
        app: Flask, council: dict[str, Any]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    sent = ask(eleri)
    deliver(app)
    page = sent.headers["Location"].split("?")[0]
    assert eleri.get(f"{page}/look-again").headers["Location"] == page
    sent_anyway = eleri.post(f"{page}/look-again", data={
        "csrf_token": csrf_token(eleri, "/account"), "reasons": "Too much"})
    assert sent_anyway.headers["Location"] == page
    assert "look at it again" not in visible_text(page_of(eleri.get(page)))
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(ChargingReview)) == 0


def test_the_same_decision_asked_about_from_two_pages_at_once_is_asked_once(
        app: Flask, council: dict[str, Any], base_settings: Any) -> None:
    """Both pages were opened before either was sent: the second finds the first."""
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assessment_id, _task = decided(app, gwen, council, base_settings)
    deps = app.extensions["portal"]
    person_id = "W06000002:p-1001"
    found, _ = financial_assessments.get(deps.store, deps.backoffice, person_id, assessment_id)
    with deps.store.transaction() as db:
        account_id = db.scalars(select(FinancialAssessment.told_by_account_id)).one()
    first = financial_assessments.ask_again(deps.store, found, person_id, "One", account_id,
                                            "Gwen Morgan", datetime.now(UTC))
    second = financial_assessments.ask_again(deps.store, found, person_id, "Two", account_id,
                                             "Gwen Morgan", datetime.now(UTC))
    assert second.id == first.id and second.reasons == "One"
    again, _ = financial_assessments.get(deps.store, deps.backoffice, person_id, assessment_id)
    with pytest.raises(ValueError):
        financial_assessments.ask_again(deps.store, again, person_id, "Three", account_id,
                                        "Gwen Morgan", datetime.now(UTC))


@pytest.mark.parametrize(("reasons", "said"), [
    ("x" * 5001, "This must be 5000 characters or fewer"),
    ("Too much\x00", "We removed characters that cannot be used from this answer"),
])
def test_reasons_that_cannot_be_sent_are_kept_on_the_page_with_a_message(
        app: Flask, council: dict[str, Any], base_settings: Any, reasons: str, said: str) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assessment_id, _task = decided(app, gwen, council, base_settings)
    refused = post(gwen, f"/your-charges/financial-assessments/{assessment_id}/look-again",
                   {"reasons": reasons})
    assert refused.status_code == 400
    page = page_of(refused)
    assert said in page.find(class_="govuk-error-summary").get_text()
    assert page.find("textarea").get_text().startswith("x" * 100 if len(reasons) > 100
                                                       else "Too much")
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(ChargingReview)) == 0


def test_asked_while_the_council_is_down_nothing_is_lost(
        app: Flask, council: dict[str, Any], looked_again: dict[str, Any],
        backoffice_faults: Any, base_settings: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assessment_id, task = decided(app, gwen, council, base_settings)
    page = f"/your-charges/financial-assessments/{assessment_id}"
    token = csrf_token(gwen, f"{page}/look-again")
    backoffice_faults.set(fail_status=503)
    # Whether the council has decided cannot be known: what was typed stays.
    down = gwen.post(f"{page}/look-again", data={"csrf_token": token,
                                                 "reasons": "My rent was left out."})
    assert down.status_code == 503
    shown = page_of(down)
    assert shown.find("textarea").get_text() == "My rent was left out."
    assert "nothing has been sent" in visible_text(shown)
    backoffice_faults.set()
    # Asked with the council there, then given to it once it is back.
    sent = gwen.post(f"{page}/look-again", data={"csrf_token": token,
                                                 "reasons": "My rent was left out."})
    assert sent.status_code == 302
    backoffice_faults.set(fail_status=503)
    deliver(app)
    assert not [r for r in looked_again.values() if r["part_of"] == task["id"]]
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    assert [r["reasons"] for r in looked_again.values() if r["part_of"] == task["id"]] == [
        "My rent was left out."]


def test_a_carer_with_money_asks_for_gwens_decision_to_be_looked_at_again(
        app: Flask, council: dict[str, Any], looked_again: dict[str, Any],
        base_settings: Any) -> None:
    _gwen, sian, _ = carer_of_gwen(app, ["money"])
    assessment_id, task = decided(app, sian, council, base_settings)
    page = f"/your-charges/financial-assessments/{assessment_id}"
    assert post(sian, f"{page}/look-again", {"reasons": "Her costs"}).status_code == 302
    deliver(app)
    held = [r for r in looked_again.values() if r["part_of"] == task["id"]]
    assert len(held) == 1 and held[0]["told_by"] == "Siân Morgan"
    assert "Siân Morgan" in visible_text(page_of(sian.get(page)))
