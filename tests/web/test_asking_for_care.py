"""Asking the council for an assessment of care and support needs: for yourself, for
someone else (with their agreement, or saying why it cannot be had), or as their
advocate; signed in or not; someone at risk now shown who to phone first; sent once
through the outbox, confirmed in the language chosen, and followed to the
council's answer."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.clock import LONDON, utcnow
from portal.services import disclosure
from portal.store.models import Account, AssessmentRequest, OutboxMessage
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver, post, publish
from tests.web.test_access import carer_of_gwen
from tests.web.test_public_data import last_full_week, row_of

START = "/ask-for-care-and-support"


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's requests for an assessment."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().assessment_requests
    return held


NERYS_FOR_IDRIS = [
    ("/urgent", {"urgency": "soon"}),
    ("/who", {"relation": "someone-else"}),
    ("/their-agreement", {"agreement": "agreed"}),
    ("/about", {"name": "Idris Roberts", "birth_date-day": "3", "birth_date-month": "4",
                "birth_date-year": "1938", "address": "2 Stryd y Capel\nCaernarfon",
                "postcode": "ll55 1aa"}),
    ("/what-matters", {"what_matters": "Aros yn ei gartref, a mynd i'r capel ar y Sul"}),
    ("/what-is-hard", {"what_is_hard": "Codi o'r gwely, a choginio"}),
    ("/who-helps", {"who_helps": "Fi, bob bore"}),
    ("/advocate", {"advocate": "not-sure"}),
    ("/contact", {"name": "Nerys Pritchard", "relationship": "Cymydog",
                  "contact_by": "email", "email": "nerys.pritchard@example.com",
                  "language": "cy", "assessment_language": "cy"}),
]
FOR_MYSELF = [
    ("/urgent", {"urgency": "not-urgent"}),
    ("/who", {"relation": "self"}),
    ("/about", {"name": "Megan Owen", "address": "5 Ffordd y Môr\nAberystwyth",
                "postcode": "SY23 1AB", "phone": ""}),
    ("/what-matters", {"what_matters": "Byw ar fy mhen fy hun"}),
    ("/what-is-hard", {"what_is_hard": "Y grisiau"}),
    ("/who-helps", {"who_helps": ""}),
    ("/advocate", {"advocate": "not-wanted"}),
    ("/contact", {"contact_by": "phone", "phone": "07700 900 982", "language": "cy"}),
]


def answer(client: FlaskClient, steps: list[tuple[str, dict[str, str]]],
           council: str | None = "W06000002") -> None:
    for path, answers in steps:
        answered = post(client, START + path, answers)
        assert answered.status_code == 302, (path, answered.text)
        if path == "/about" and client.get(START + "/council").status_code == 200:
            chosen = post(client, START + "/council", {"council": council})
            assert chosen.status_code == 302, chosen.text


def send(client: FlaskClient) -> tuple[str, str]:
    """Send from check your answers: the reference, and the confirmation's address."""
    sent = post(client, START + "/check", {})
    assert sent.status_code == 302, sent.text
    where = sent.headers["Location"]
    confirmation = page_of(client.get(where))
    return confirmation.find(class_="portal-reference").get_text(strip=True), where


def test_nerys_asks_for_her_neighbour_and_is_told_in_welsh(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    check = visible_text(page_of(nerys.get(START + "/check")))
    assert "Idris Roberts" in check and "LL55 1AA" in check and "3 Ebrill 1938" in check
    reference, _ = send(nerys)
    assert reference.startswith("AS-")
    # Kept here, not yet with the council: the write waits in the outbox.
    assert not [r for r in council.values() if r["portal_reference"] == reference]
    deliver(app)
    held = [r for r in council.values() if r["portal_reference"] == reference]
    assert len(held) == 1 and held[0]["priority"] == "urgent"
    asked = held[0]["asked"]
    assert asked["agreement"] == "agreed" and asked["advocate"] == "not-sure"
    assert asked["subject"] == {
        "name": "Idris Roberts", "birth_date": "1938-04-03",
        "address": "2 Stryd y Capel\nCaernarfon", "postal_code": "LL55 1AA", "phone": None,
        "preferred_language": "cy"}
    assert asked["asked_by"]["relation"] == "someone-else"
    assert asked["asked_by"]["relationship"] == "Cymydog"
    to_nerys = [n for n in notify.sent if n.get("email_address") == "nerys.pritchard@example.com"]
    assert [n["subject"] for n in to_nerys] == [
        "Brys: mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth"]
    assert reference in to_nerys[0]["body"] and "Idris Roberts" in to_nerys[0]["body"]
    area = visible_text(page_of(nerys.get(START)))
    assert reference in area and "Wedi'i gael gan y cyngor" in area


def test_someone_not_signed_in_asks_for_themselves_in_welsh_and_gets_a_text(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    megan = app.test_client()
    megan.get("/language/cy?next=/")
    start = page_of(megan.get(START))
    assert start.h1.get_text(strip=True) == "Gofyn am ofal a chymorth"
    answer(megan, FOR_MYSELF, council="W06000008")
    reference, confirmation = send(megan)
    # The confirmation is this browser's alone.
    assert app.test_client().get(confirmation).status_code == 404
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["priority"] == "routine"
    assert held["asked"]["agreement"] == "own-request"
    assert held["asked"]["asked_by"]["name"] == "Megan Owen"
    texts = [n for n in notify.sent if n.get("phone_number") == "07700 900 982"]
    assert len(texts) == 1 and reference in texts[0]["body"]
    assert texts[0]["body"].startswith("Mae gan y cyngor y cais")


def progress(base_settings: Any, held: dict[str, Any], **said: Any) -> None:
    """The council moves the request on, as the sandbox's drill lets it."""
    moved = requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/assessment-requests/"
                          f"{held['id']}/progress", json=said, timeout=5)
    assert moved.status_code == 200, moved.text


def request_id_of(client: FlaskClient, reference: str) -> str:
    page = page_of(client.get(START))
    link = next(a for a in page.find_all("a") if a.get_text(strip=True) == f"Request {reference}"
                or a.get_text(strip=True) == f"Cais {reference}")
    return str(link["href"]).rsplit("/", 1)[1]


def test_someone_at_risk_now_is_shown_who_to_phone_before_any_question(
        app: Flask, council: dict[str, Any]) -> None:
    megan = app.test_client()
    megan.get("/language/cy?next=/")
    start = visible_text(page_of(megan.get(START)))
    assert "ffoniwch 999" in start and app.extensions["portal"].councils.first.phone in start
    at_risk = post(megan, START + "/urgent", {"urgency": "at-risk-now"})
    assert at_risk.headers["Location"].endswith("/someone-is-at-risk")
    page = page_of(megan.get(at_risk.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Cael help nawr"
    text = visible_text(page)
    assert "ffoniwch 999 nawr" in text
    assert app.extensions["portal"].councils.first.out_of_hours_phone in text
    # Once everyone is safe, the request carries on, and the council hears it is urgent.
    answer(megan, FOR_MYSELF[1:])
    reference, _ = send(megan)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["priority"] == "urgent" and held["asked"]["at_risk_now"] is True


def test_someone_who_does_not_want_help_cannot_be_asked_for(app: Flask) -> None:
    nerys = app.test_client()
    nerys.get("/language/cy?next=/")
    answer(nerys, NERYS_FOR_IDRIS[:3])  # she said first that he agrees, then that he does not
    refused = post(nerys, START + "/their-agreement", {"agreement": "does-not-agree"})
    assert refused.headers["Location"].endswith("/they-do-not-want-help")
    page = page_of(nerys.get(refused.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Mae angen eu cytundeb ar y cyngor"
    # Nothing further can be asked without their agreement, or a reason it cannot be had.
    assert nerys.get(START + "/about").headers["Location"].endswith("/their-agreement")
    assert nerys.get(START + "/check").headers["Location"].endswith("/their-agreement")


@pytest.mark.parametrize("agreement", ["lacks-capacity", "at-risk"])
def test_someone_else_asked_for_without_their_agreement_says_why(
        app: Flask, council: dict[str, Any], agreement: str) -> None:
    nerys = app.test_client()
    steps = [(path, {"agreement": agreement} if path == "/their-agreement" else said)
             for path, said in NERYS_FOR_IDRIS]
    answer(nerys, steps)
    check = visible_text(page_of(nerys.get(START + "/check")))
    assert {"lacks-capacity": "They cannot decide this for themselves",
            "at-risk": "They do not agree, but I think they are at risk"}[agreement] in check
    reference, _ = send(nerys)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["asked"]["agreement"] == agreement


def test_an_advocate_asks_and_is_not_asked_whether_an_advocate_is_wanted(
        app: Flask, council: dict[str, Any]) -> None:
    rhys = app.test_client()
    sign_in(rhys, "Rhys", link=False)
    steps = [(path, {"relation": "advocate"} if path == "/who" else said)
             for path, said in NERYS_FOR_IDRIS if path != "/advocate"]
    answer(rhys, steps)
    assert rhys.get(START + "/advocate").headers["Location"].endswith("/contact")
    check = visible_text(page_of(rhys.get(START + "/check")))
    assert "Someone I am an advocate for" in check and "Advocate wanted" not in check
    reference, _ = send(rhys)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["asked"]["advocate"] == "is-advocate"
    assert held["asked"]["asked_by"]["relation"] == "advocate"


def test_the_message_goes_in_the_language_chosen_not_the_pages(
        app: Flask, notify: Any) -> None:
    nerys = app.test_client()
    nerys.get("/language/cy?next=/")
    steps = [(path, {**said, "language": "en"} if path == "/contact" else said)
             for path, said in NERYS_FOR_IDRIS]
    answer(nerys, steps)
    reference, _ = send(nerys)
    deliver(app)
    sent = [n for n in notify.sent if reference in n.get("body", "")]
    assert [n["subject"] for n in sent] == [
        "Urgent: the council has the request for an assessment of care and support needs"]


def test_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any], notify: Any) -> None:
    megan = app.test_client()
    answer(megan, FOR_MYSELF)
    backoffice_faults.set(fail_status=503)
    reference, confirmation = send(megan)
    assert reference in visible_text(page_of(megan.get(confirmation)))
    deliver(app)
    with app.extensions["portal"].store.transaction() as db:
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == "assessment-request-send",
            OutboxMessage.status == "pending"))
    assert waiting == 1
    assert not [r for r in council.values() if r["portal_reference"] == reference]
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    assert len([r for r in council.values() if r["portal_reference"] == reference]) == 1
    assert len([n for n in notify.sent if reference in n.get("body", "")]) == 1


def test_the_same_request_sent_twice_is_one(app: Flask) -> None:
    megan = app.test_client()
    answer(megan, FOR_MYSELF)
    token = csrf_token(megan, START + "/check")
    first = megan.post(START + "/check", data={"csrf_token": token})
    assert first.status_code == 302
    again = megan.post(START + "/check", data={"csrf_token": token})
    assert again.headers["Location"].endswith("/urgent")  # the answers went with the first
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(AssessmentRequest)) == 1


def test_the_same_answers_sent_at_once_are_one_request(app: Flask) -> None:
    from portal.services import assessment_requests

    store = app.extensions["portal"].store
    answers = assessment_requests.Answers(
        "not-urgent", "self", None, "Megan Owen", None, "5 Ffordd y Môr", "SY23 1AB", None,
        "Byw adref", "Y grisiau", None, "not-wanted", "Megan Owen", None, "phone", None,
        "07700 900 982", None, "cy", "cy")
    first = assessment_requests.ask(store, None, "one-journey", "W06000002", answers, utcnow())
    again = assessment_requests.ask(store, None, "one-journey", "W06000002", answers, utcnow())
    assert first.id == again.id and first.reference == again.reference


def test_each_question_says_what_is_wrong_in_welsh_and_keeps_the_answers(
        client: FlaskClient) -> None:
    client.get("/language/cy?next=/")
    nothing = post(client, START + "/urgent", {})
    assert nothing.status_code == 400
    assert "Dewiswch a oes unrhyw un mewn perygl o niwed nawr" in page_of(nothing).find(
        class_="govuk-error-summary").get_text()
    answer(client, NERYS_FOR_IDRIS[:3])
    wrong = post(client, START + "/about", {"name": "Idris <script>alert(1)</script>",
                                           "postcode": "NOTAPOST",
                                           "birth_date-day": "31", "birth_date-month": "2",
                                           "birth_date-year": "1938", "phone": "123"})
    assert wrong.status_code == 400
    page = page_of(wrong)
    summary = page.find(class_="govuk-error-summary").get_text()
    assert "Rhowch eu cyfeiriad" in summary and "Rhowch god post go iawn" in summary
    assert "Rhaid i'r dyddiad geni fod yn ddyddiad go iawn" in summary
    assert "Rhowch rif ffôn yn y DU" in summary
    assert page.find("input", {"name": "name"})["value"] == "Idris <script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in wrong.text
    hidden = post(client, START + "/about", {**NERYS_FOR_IDRIS[3][1], "name": "Idris\x00"})
    assert hidden.status_code == 400
    too_long = post(client, START + "/about", {**NERYS_FOR_IDRIS[3][1], "address": "x" * 501})
    assert too_long.status_code == 400
    answer(client, NERYS_FOR_IDRIS[3:8])
    no_email = post(client, START + "/contact", {**NERYS_FOR_IDRIS[8][1], "email": "nerys@"})
    assert no_email.status_code == 400
    assert "Rhowch gyfeiriad e-bost" in page_of(no_email).find(
        class_="govuk-error-summary").get_text()
    made_up = post(client, START + "/who", {"relation": "the-queen"})
    assert made_up.status_code == 400


def test_a_later_question_first_goes_back_to_the_first_unanswered(client: FlaskClient) -> None:
    assert client.get(START + "/check").headers["Location"].endswith("/urgent")
    answer(client, NERYS_FOR_IDRIS[:2])
    assert client.get(START + "/what-matters").headers["Location"].endswith("/their-agreement")


def test_changing_who_it_is_for_asks_the_questions_that_now_apply(client: FlaskClient) -> None:
    answer(client, FOR_MYSELF)
    changed = post(client, START + "/who?change=1", {"relation": "someone-else"})
    assert changed.headers["Location"].endswith("/their-agreement")
    answer(client, NERYS_FOR_IDRIS[2:3])
    # Their name, and how the asker knows them, are asked again before sending.
    assert client.get(START + "/check").headers["Location"].endswith("/contact")


def test_the_council_takes_it_from_there_and_megan_links_her_new_record_in_one_step(
        app: Flask, base_settings: Any, council: dict[str, Any]) -> None:
    megan = app.test_client()
    sign_in(megan, "Nerys", "en", link=False)  # someone with no record yet, asking for herself
    answer(megan, FOR_MYSELF)
    reference, _ = send(megan)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    request_id = request_id_of(megan, reference)
    detail = f"{START}/requests/{request_id}"
    assert megan.get(detail + "/assessment.ics").status_code == 404  # nothing booked yet
    progress(base_settings, held, business_status="contacted")
    booked_for = (utcnow() + timedelta(days=9)).replace(hour=10, minute=30, second=0,
                                                         microsecond=0)
    progress(base_settings, held, business_status="assessment-booked",
             assessment_at=booked_for.isoformat().replace("+00:00", "Z"))
    page = visible_text(page_of(megan.get(detail)))
    assert "Booked for" in page and "The council got in touch" in page
    calendar = megan.get(detail + "/assessment.ics")
    assert calendar.status_code == 200 and calendar.mimetype == "text/calendar"
    assert b"Assessment of care and support needs: Megan Owen" in calendar.data
    assert reference.encode() in calendar.data
    assert megan.post(detail + "/link-record", data={
        "csrf_token": csrf_token(megan, detail)}).status_code == 404  # no record yet
    progress(base_settings, held, business_status="assessed", outcome="eligible",
             detail="A morning visit to help with washing and dressing.", make_record=True)
    page = page_of(megan.get(detail))
    text = visible_text(page)
    assert "There are needs the council will meet" in text
    assert "A morning visit to help with washing and dressing." in text
    linked = megan.post(detail + "/link-record", data={"csrf_token": csrf_token(megan, detail)})
    assert linked.headers["Location"].endswith("/your-care")
    care = page_of(megan.get("/your-care"))
    assert "Your care record is linked" in visible_text(care)
    made = next(r for r in council.values() if r["portal_reference"] == reference)
    with app.extensions["portal"].store.transaction() as db:
        linked_to = db.scalars(select(Account.person_id).where(
            Account.person_id.is_not(None), Account.person_id.endswith(made["person_id"]))).all()
    assert len(linked_to) == 1


def test_only_someone_who_asked_for_themselves_may_link_the_record_made(
        app: Flask, base_settings: Any, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "en", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    reference, _ = send(nerys)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    progress(base_settings, held, business_status="assessed", outcome="eligible",
             make_record=True)
    detail = f"{START}/requests/{request_id_of(nerys, reference)}"
    page = visible_text(page_of(nerys.get(detail)))
    assert "It will agree a care and support plan with Idris Roberts" in page
    assert "Link your care record" not in page
    assert nerys.post(detail + "/link-record", data={
        "csrf_token": csrf_token(nerys, detail)}).status_code == 404


def test_advice_given_and_a_request_closed_say_what_the_council_said(
        app: Flask, base_settings: Any, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    first, _ = send(nerys)
    answer(nerys, NERYS_FOR_IDRIS)
    second, _ = send(nerys)
    deliver(app)
    held = {r["portal_reference"]: r for r in council.values()}
    progress(base_settings, held[first], business_status="assessed",
             outcome="information-and-advice", detail="Mae clwb cinio yn y capel bob dydd Iau.",
             detail_language="cy")
    progress(base_settings, held[second], business_status="closed",
             closed_reason="Mae Idris wedi symud at ei ferch yng Nghaerdydd.")
    advised = visible_text(page_of(nerys.get(f"{START}/requests/{request_id_of(nerys, first)}")))
    assert "Rhoddodd y cyngor wybodaeth a chyngor" in advised
    assert "Mae clwb cinio yn y capel bob dydd Iau." in advised
    closed = visible_text(page_of(nerys.get(f"{START}/requests/{request_id_of(nerys, second)}")))
    assert "Pam cafodd y cais ei gau" in closed and "symud at ei ferch" in closed


def test_the_council_down_shows_the_portals_own_record_of_the_requests(
        app: Flask, backoffice_faults: Any) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "en", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    reference, _ = send(nerys)
    deliver(app)
    backoffice_faults.set(fail_status=503)
    page = visible_text(page_of(nerys.get(START)))
    assert reference in page and "We cannot get the council's latest news" in page
    detail = nerys.get(f"{START}/requests/{request_id_of(nerys, reference)}")
    assert detail.status_code == 200 and reference in detail.text


def test_a_request_is_followed_by_the_account_that_made_it_alone(app: Flask) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "en", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    reference, confirmation = send(nerys)
    request_id = request_id_of(nerys, reference)
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assert reference not in gwen.get(START).text
    assert gwen.get(f"{START}/requests/{request_id}").status_code == 404
    assert gwen.get(confirmation).status_code == 404
    assert app.test_client().get(f"{START}/requests/{request_id}").status_code == 302


@pytest.mark.before_the_worker
def test_the_data_page_counts_those_asked_online_and_the_time_to_first_contact(
        app: Flask, client: FlaskClient, council: dict[str, Any]) -> None:
    """Counted from every request the back office holds, as the data page publishes
    them: asked through the portal in the week, first contacted in the week, and the
    median days from asking to that first contact."""
    publish(app)
    week = last_full_week()

    def moment(said: str) -> datetime:
        return datetime.fromisoformat(said.replace("Z", "+00:00"))

    def day(said: str) -> date:
        return moment(said).astimezone(LONDON).date()

    asked = [r for r in council.values() if r["portal_reference"]
             and week.start <= day(r["authored_on"]) <= week.end]
    contacted = [(moment(r["history"][1]["at"]) - moment(r["authored_on"])).total_seconds()
                 / 86400 for r in council.values() if len(r["history"]) > 1
                 and week.start <= day(r["history"][1]["at"]) <= week.end]
    row = row_of(client, "assessment-requests", week)
    assert len(asked) >= 10 and row["asked_online"] == disclosure.count(len(asked))
    assert len(contacted) >= 10
    assert row["first_contacted"] == disclosure.count(len(contacted))
    assert row["median_days_to_first_contact"] == pytest.approx(
        statistics.median(contacted), abs=0.1)
    client.get("/language/cy?next=/")
    page = visible_text(page_of(client.get("/how-care-at-home-is-going")))
    assert "Asesiadau o anghenion gofal a chymorth y gofynnwyd amdanynt ar-lein" in page


def test_the_sandbox_lists_those_asked_online_for_drills(
        app: Flask, base_settings: Any) -> None:
    megan = app.test_client()
    answer(megan, FOR_MYSELF)
    reference, _ = send(megan)
    deliver(app)
    listed = requests.get(f"{base_settings.BACKOFFICE_URL}/_sandbox/assessment-requests",
                          timeout=5).json()
    assert reference in [r["portal_reference"] for r in listed]
    assert all("asked" not in r for r in listed)


def test_someone_with_a_record_follows_their_requests_on_your_requests_too(
        app: Flask) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "en")
    answer(gwen, NERYS_FOR_IDRIS)
    reference, _ = send(gwen)
    page = visible_text(page_of(gwen.get("/your-requests")))
    assert "Your requests for care and support" in page and reference in page
    # Not to those acting for her: it is her account's, not her record's.
    _, sian, _ = carer_of_gwen(app, ["reviews"])
    assert reference not in sian.get("/your-requests").text
