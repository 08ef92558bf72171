"""Support for you as a carer: a carer's own area, asking for a carer's needs
assessment, following it, and the carer's own support plan."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.store.models import CarerAssessmentRequest, OutboxMessage
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import choose_first_time, deliver, post
from tests.web.test_access import carer_of_gwen


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's carer's needs assessment requests."""
    held: dict[str, dict[str, Any]] = \
        running_sandboxes.back_office().carer_requests
    return held


def say_i_look_after_someone(client: FlaskClient) -> None:
    assert post(client, "/support-for-carers/i-look-after-someone", {}).status_code == 302


def answer_every_question(client: FlaskClient, carry_on: str = "yes",
                          who: dict[str, str] | None = None) -> None:
    """Every question, up to check your answers, as a carer of a neighbour would."""
    steps = [
        ("/support-for-carers/assessment", who or {"person": "someone-else",
                                                   "name": "Idris Roberts"}),
        ("/support-for-carers/assessment/about-them",
         {"relationship": "Cymydog", "lives_together": "no", "council_care": "no"}),
        ("/support-for-carers/assessment/caring",
         {"tasks": ["meals", "shopping", "watching-over"], "hours": "20-34"}),
        ("/support-for-carers/assessment/carrying-on", {"carry_on": carry_on}),
        ("/support-for-carers/assessment/what-matters",
         {"what_matters": ["sleep", "work"], "detail": "Cadw fy swydd yn y siop"}),
        ("/support-for-carers/assessment/contact",
         {"name": "Nerys Pritchard", "contact_by": "email",
          "email": "nerys.pritchard@example.com", "language": "cy"}),
    ]
    for path, answers in steps:
        answered = post(client, path, answers)
        assert answered.status_code == 302, (path, answered.text)


def send(client: FlaskClient) -> str:
    """Send the request from check your answers; returns its reference."""
    sent = post(client, "/support-for-carers/assessment/check", {})
    assert sent.status_code == 302, sent.text
    confirmation = page_of(client.get(sent.headers["Location"]))
    return confirmation.find(class_="portal-reference").get_text(strip=True)


def test_a_carer_who_cannot_carry_on_is_asked_for_urgently_and_told_in_welsh(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    first = page_of(nerys.get("/support-for-carers"))
    assert first.h1.get_text(strip=True) == "Cymorth i chi fel gofalwr"
    assert "asesiad o anghenion gofalwr" in visible_text(first)
    say_i_look_after_someone(nerys)
    answer_every_question(nerys, carry_on="no")
    check = visible_text(page_of(nerys.get("/support-for-carers/assessment/check")))
    assert "Idris Roberts" in check and "Byddwn ni'n dweud wrth y cyngor fod hyn yn fater brys" \
        in check
    reference = send(nerys)
    assert reference.startswith("CA-")
    # Kept here, not yet with the council: the write waits in the outbox.
    assert not [r for r in council.values() if r["portal_reference"] == reference]
    area = visible_text(page_of(nerys.get("/support-for-carers")))
    assert reference in area and "Yn anfon at y cyngor" in area

    deliver(app)
    held = [r for r in council.values() if r["portal_reference"] == reference]
    assert len(held) == 1 and held[0]["priority"] == "urgent"
    assert held[0]["carer_person_id"] is None and held[0]["cared_for_name"] == "Idris Roberts"
    to_nerys = [n for n in notify.sent if n["email_address"] == "nerys.pritchard@example.com"]
    assert [n["subject"] for n in to_nerys] == [
        "Brys: mae gan y cyngor eich cais am asesiad o anghenion gofalwr"]
    assert reference in to_nerys[0]["body"] and "Idris Roberts" in to_nerys[0]["body"]
    area = visible_text(page_of(nerys.get("/support-for-carers")))
    assert "Wedi'i gael gan y cyngor" in area and "Brys" in area


def test_the_council_takes_it_from_there_and_the_timeline_follows(
        app: Flask, base_settings: Any, council: dict[str, Any]) -> None:
    huw = app.test_client()
    sign_in(huw, "Huw")
    say_i_look_after_someone(huw)
    area = visible_text(page_of(huw.get("/support-for-carers")))
    # The request he made by phone is waiting at the council.
    assert "Carer's needs assessment you asked the council for" in area
    assert "As someone who looks after Dafydd Hughes" in area
    answer_every_question(huw)
    reference = send(huw)
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    # The council is given its own id for his record.
    assert held["carer_person_id"] == "p-2002" and held["priority"] == "routine"
    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/carer-assessment-requests/{held['id']}/progress",
                  json={"business_status": "assessment-booked"}, timeout=5)
    area = visible_text(page_of(huw.get("/support-for-carers")))
    assert "Your assessment was booked" in area and "Assessment booked" in area


def test_check_your_answers_marks_the_language_chosen_with_its_lang(
        client: FlaskClient) -> None:
    sign_in(client, "Nerys", "en", link=False)
    answer_every_question(client)
    page = page_of(client.get("/support-for-carers/assessment/check"))
    chosen = page.find("main").find("span", lang="cy")
    assert chosen is not None and chosen.get_text() == "Cymraeg"


def test_what_else_they_do_is_asked_beneath_other_only_once_it_is_ticked(
        client: FlaskClient) -> None:
    sign_in(client, "Nerys", "cy", link=False)
    post(client, "/support-for-carers/assessment", {"person": "someone-else", "name": "Idris"})
    post(client, "/support-for-carers/assessment/about-them",
         {"relationship": "Cymydog", "lives_together": "no", "council_care": "not-sure"})

    def revealed(page: Any) -> Any:
        other = page.find("input", {"name": "tasks", "value": "other"})
        return page.find(id=other["data-aria-controls"])

    shown = revealed(page_of(client.get("/support-for-carers/assessment/caring")))
    assert shown.find("textarea", {"name": "tasks_detail"}) is not None
    assert "govuk-checkboxes__conditional--hidden" in shown["class"]
    missing = post(client, "/support-for-carers/assessment/caring",
                   {"tasks": ["meals", "other"], "hours": "under-20"})
    assert missing.status_code == 400
    shown = revealed(page_of(missing))
    assert "govuk-checkboxes__conditional--hidden" not in shown["class"]
    assert "Beth arall ydych chi'n ei wneud drostyn nhw?" in visible_text(shown)


def test_each_question_says_what_is_wrong_and_keeps_the_answers(client: FlaskClient) -> None:
    sign_in(client, "Nerys", "cy", link=False)
    empty = post(client, "/support-for-carers/assessment", {"person": "someone-else"})
    assert empty.status_code == 400
    summary = page_of(empty).find(class_="govuk-error-summary")
    assert "Rhowch enw'r person rydych chi'n gofalu amdano" in summary.get_text()
    post(client, "/support-for-carers/assessment", {"person": "someone-else", "name": "Idris"})
    post(client, "/support-for-carers/assessment/about-them",
         {"relationship": "Cymydog", "lives_together": "no", "council_care": "not-sure"})
    wrong = post(client, "/support-for-carers/assessment/caring",
                 {"tasks": ["juggling"], "tasks_detail": "Pob dim"})
    assert wrong.status_code == 400
    page = page_of(wrong)
    assert page.find("textarea", {"name": "tasks_detail"}).get_text() == "Pob dim"
    answer_every_question(client)
    bad_email = post(client, "/support-for-carers/assessment/contact",
                     {"name": "Nerys", "contact_by": "email", "email": "nerys@", "language": "cy"})
    assert bad_email.status_code == 400
    assert "Rhowch gyfeiriad e-bost" in page_of(bad_email).find(
        class_="govuk-error-summary").get_text()
    landline = post(client, "/support-for-carers/assessment/contact",
                    {"name": "Nerys", "contact_by": "phone", "phone": "01632 960 001",
                     "language": "cy"})
    assert landline.status_code == 302


def test_a_later_question_first_goes_back_to_the_first_unanswered(client: FlaskClient) -> None:
    sign_in(client, "Nerys", link=False)
    jumped = client.get("/support-for-carers/assessment/check")
    assert jumped.headers["Location"].endswith("/support-for-carers/assessment")


def test_a_carer_chooses_someone_they_act_for_and_the_request_is_theirs_alone(
        app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan", "notifications"])
    say_i_look_after_someone(sian)
    who = page_of(sian.get("/support-for-carers/assessment"))
    offered = [i["value"] for i in who.find_all("input", {"name": "person"})]
    assert offered == ["W06000002:p-1001", "someone-else"]
    answer_every_question(sian, who={"person": "W06000002:p-1001"})
    reference = send(sian)
    assert reference in visible_text(page_of(sian.get("/support-for-carers")))
    # Gwen sees nothing of it: not on her requests, not in her own carer's area.
    assert reference not in visible_text(page_of(gwen.get("/your-requests")))
    assert reference not in visible_text(page_of(gwen.get("/support-for-carers")))
    request_id = sian.get("/support-for-carers").text.split("/support-for-carers/requests/")[1][:36]
    assert gwen.get(f"/support-for-carers/requests/{request_id}").status_code == 404


def test_the_carers_own_plan_is_theirs_alone(app: Flask) -> None:
    sian = app.test_client()
    sign_in(sian, "Sian", "cy")
    plan = page_of(sian.get("/support-for-carers/your-plan"))
    text = visible_text(plan)
    assert plan.h1.get_text(strip=True) == "Eich cynllun cymorth fel gofalwr"
    assert "Rydw i eisiau un noson yr wythnos i mi fy hun" in text
    assert "Gofal seibiant" in text and "Elin Roberts" in text
    # Acting for Gwen under the LPA, Siân still sees her own plan as her own, and
    # Gwen's plan never shows it.
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assert "Gofal seibiant" not in visible_text(page_of(gwen.get("/your-care/plan")))
    assert "Rydw i eisiau un noson" not in visible_text(
        page_of(gwen.get("/support-for-carers/your-plan")))


def test_the_request_is_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any]) -> None:
    """The drill: the back office down while carers ask."""
    carers = [app.test_client() for _ in range(3)]
    for carer in carers:
        sign_in(carer, "Nerys", link=False)
        say_i_look_after_someone(carer)
    backoffice_faults.set(fail_status=503)
    references = []
    for carer in carers:
        answer_every_question(carer)
        references.append(send(carer))
    deliver(app)  # every try fails: the council is down
    store = app.extensions["portal"].store
    with store.transaction() as db:
        kept = db.scalar(select(func.count()).select_from(CarerAssessmentRequest)
                         .where(CarerAssessmentRequest.reference.in_(references)))
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == "carer-assessment-send",
            OutboxMessage.status == "pending"))
    assert kept == 3 and waiting == 3
    assert not [r for r in council.values() if r["portal_reference"] in references]
    page = visible_text(page_of(carers[0].get("/support-for-carers")))
    assert all(reference in page for reference in references)
    assert page.count("Sending to the council") == 3

    backoffice_faults.set()
    deliver(app)
    deliver(app)  # again: nothing is sent twice
    held = [r for r in council.values() if r["portal_reference"] in references]
    assert sorted(r["portal_reference"] for r in held) == sorted(references)


def test_a_carer_books_the_review_of_her_own_plan_with_the_review_journey(
        app: Flask, notify: Any, running_sandboxes: Any) -> None:
    from tests.web.test_reviews import book_from_check

    sian = app.test_client()
    sign_in(sian, "Sian", "cy")
    # Acting for Gwen under the LPA, she still books the review of her own plan.
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    started = sian.post("/support-for-carers/your-plan/review", data={
        "csrf_token": csrf_token(sian, "/support-for-carers/your-plan")})
    assert started.headers["Location"].endswith("/book-a-review?plan=carer")
    first = page_of(sian.get("/book-a-review?plan=carer"))
    assert "Eich cynllun cymorth fel gofalwr" in visible_text(first)
    assert post(sian, "/book-a-review?plan=carer", {"reason": "plan-due"}).status_code == 302
    assert post(sian, "/book-a-review/how", {"mode": "phone"}).status_code == 302
    choose_first_time(sian)
    assert post(sian, "/book-a-review/anything-else",
                {"language_support": "none"}).status_code == 302
    request_id = book_from_check(sian)
    reference = page_of(sian.get(f"/your-requests/{request_id}/confirmation")).find(
        class_="portal-reference").get_text(strip=True)
    deliver(app)
    bookings = running_sandboxes.back_office().bookings
    booked = [b for b in bookings.values() if b["person_id"] == "p-2001"
              and b["portal_reference"] == reference]
    assert [b["plan"] for b in booked] == ["carer-support-plan"]
    told = [n for n in notify.sent if n["email_address"] == "sian.morgan@example.com"]
    assert told and "adolygiad o gynllun cymorth Siân Morgan fel gofalwr" in told[0]["body"]
    # It is on her own requests, not Gwen's.
    assert sian.get(f"/your-requests/{request_id}").status_code == 200
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    assert sian.get(f"/your-requests/{request_id}").status_code == 404
