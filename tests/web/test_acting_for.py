"""Acting for someone through the pages: adding a carer, their code, their view,
and the person's record of what they looked at."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.sandbox.notify import state as notify_state
from tests.conftest import csrf_token, page_of, sign_in, sign_out, visible_text
from tests.support.journeys import post
from tests.web.test_access import carer_of_gwen, choose, grant, redeem


def test_adding_someone_with_bad_input_says_what_is_wrong_in_welsh_and_keeps_it(
        app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen", "cy")
    response = post(person, "/who-can-act-for-you/invite", {
        "name": "Siân Morgan", "contact": "not an address", "relationship": "",
        "scopes": ["plan", "everything"], "ends_on-day": "31", "ends_on-month": "2",
        "ends_on-year": "2027"})
    assert response.status_code == 400
    page = page_of(response)
    errors = [a.get_text(strip=True) for a in page.find(class_="govuk-error-summary")("a")]
    assert errors == [
        "Rhowch gyfeiriad e-bost neu rif ffôn symudol yn y DU, fel enw@example.com neu "
        "07700 900 982",
        "Rhowch sut maen nhw'n eich adnabod",
        "Dewiswch beth allan nhw ei wneud ar eich rhan",
        "Rhaid i'r dyddiad gorffen fod yn ddyddiad go iawn",
    ]
    assert page.find("input", {"name": "name"})["value"] == "Siân Morgan"
    assert page.find("input", {"name": "ends_on-day"})["value"] == "31"


def test_a_carer_sees_whose_care_and_the_person_sees_every_read(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen", "cy")
    code, _ = grant(person, ["plan"])
    carer = app.test_client()
    sign_in(carer, "Sian", "en", link=False)
    assert redeem(carer, code).headers["Location"].endswith("/people-you-help")
    chooser = page_of(carer.get("/people-you-help"))
    assert chooser.find("button", string=lambda s: s and "See the care of Gwen Morgan" in s)
    for path in ("/your-care", "/your-care/plan", "/your-care/visits"):
        page = page_of(carer.get(path))
        banner = page.find(class_="govuk-notification-banner")
        assert "You are looking at the care of Gwen Morgan, acting for them." in banner.text
        assert page.find("span", class_="govuk-caption-l").get_text(strip=True) == "Gwen Morgan"
    log = visible_text(page_of(person.get("/who-has-looked-at-your-record")))
    assert "3 thro i gyd" in log
    for read in ("Wedi edrych ar grynodeb o'ch gofal",
                 "Wedi edrych ar eich cynllun gofal a chymorth", "Wedi edrych ar eich ymweliadau"):
        assert read in log
    assert log.count("Siân Morgan, yn gweithredu ar eich rhan") == 3
    assert log.count("Rhywun a ddewisoch chi") == 3


def test_the_persons_own_reads_are_not_logged(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen")
    person.get("/your-care/plan")
    text = visible_text(page_of(person.get("/who-has-looked-at-your-record")))
    assert "Nobody else has looked at your record in this service." in text


def test_a_wrong_code_is_explained_and_a_used_code_does_not_work_twice(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen")
    code, _ = grant(person, ["plan"])
    first, second = app.test_client(), app.test_client()
    sign_in(first, "Sian", "cy", link=False)
    sign_in(second, "Dafydd", "en", link=False)
    malformed = redeem(first, "12")
    assert "Rhaid i'r cod fod yn 8 llythyren a rhif" in page_of(malformed).text
    assert redeem(first, code).status_code == 302
    used = redeem(second, code)
    assert used.status_code == 400
    assert "This code does not work." in page_of(used).text


def test_the_person_sees_the_legal_powers_the_council_holds_in_their_language(
        app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen", "cy")
    page = page_of(person.get("/who-can-act-for-you"))
    row = page.find("h3", class_="govuk-summary-card__title",
                    string=lambda s: s and s.strip() == "Siân Morgan"
                    ).find_parent(class_="govuk-summary-card")
    text = visible_text(row)
    assert "Atwrneiaeth arhosol ar gyfer iechyd a lles" in text
    assert "Gweld y cynllun gofal a chymorth a'r ymweliadau" in text
    assert "Gweld a thalu taliadau am ofal" not in text
    # Not revocable in the portal: what they see of her visits is hers to change alone.
    assert [a["href"] for a in row.find_all("a")] == [
        "/who-can-act-for-you/legal/W06000002:p-2001/notes"]
    assert row.find_previous("h2").get_text(strip=True) == \
        "Pwerau cyfreithiol sydd wedi'u cofnodi gan y cyngor"


def test_an_attorney_acting_is_logged_as_such(app: Flask) -> None:
    attorney = app.test_client()
    sign_in(attorney, "Sian")
    attorney.post("/people-you-help", data={
        "csrf_token": csrf_token(attorney, "/people-you-help"), "person_id": "W06000002:p-1001"})
    assert attorney.get("/your-care/plan").status_code == 200
    person = app.test_client()
    sign_in(person, "Gwen")
    log = page_of(person.get("/who-has-looked-at-your-record"))
    first = log.find(class_="govuk-summary-list__row").find("dd")
    assert [p.get_text(" ", strip=True) for p in first.find_all("p")] == [
        "Siân Morgan, acting for you (Attorney)", "Looked at your care and support plan"]


def test_an_attorney_finds_the_person_they_help_from_their_own_care_and_the_real_reason(
        app: Flask) -> None:
    attorney = app.test_client()
    sign_in(attorney, "Sian")
    own = page_of(attorney.get("/your-care"))
    assert own.find("a", string="People you help")["href"] == "/people-you-help"
    helped = page_of(attorney.get("/people-you-help"))
    card = helped.find(class_="govuk-summary-card")
    assert card.find(class_="govuk-summary-card__title").get_text(strip=True) == "Gwen Morgan"
    assert "Lasting power of attorney for health and welfare" in visible_text(card)
    choose(attorney, "W06000002:p-1001")
    refused = attorney.get("/your-charges")
    assert refused.status_code == 403
    said = visible_text(page_of(refused))
    assert "The lasting power of attorney for health and welfare that you hold for Gwen " \
        "Morgan does not cover this part of their care." in said
    assert "has not given you access" not in said


def test_a_carer_refused_a_page_is_told_the_person_has_not_given_that_access(
        app: Flask) -> None:
    _, carer, _ = carer_of_gwen(app, ["plan"])
    refused = carer.get("/your-charges")
    assert refused.status_code == 403
    assert "Gwen Morgan has not given you access to this part of their care." in \
        visible_text(page_of(refused))


def test_guessing_codes_is_limited_with_a_page_in_the_guessers_language(app: Flask) -> None:
    guesser = app.test_client()
    sign_in(guesser, "Dafydd", "cy", link=False)
    answers = [redeem(guesser, "ABCD-2345").status_code for _ in range(11)]
    assert answers[:10] == [400] * 10 and answers[10] == 429
    page = page_of(redeem(guesser, "ABCD-2345"))
    assert page.h1.get_text(strip=True) == "Rydych chi wedi rhoi cynnig arni ormod o weithiau"


def test_an_advocate_whose_arrangement_ended_is_told_when_it_ended(app: Flask) -> None:
    advocate = app.test_client()
    sign_in(advocate, "Rhys", "cy")
    helped = page_of(advocate.get("/people-you-help"))
    names = [h.get_text(strip=True) for h in helped.find_all(class_="govuk-summary-card__title")]
    # Owen's arrangement ended on 30 June 2026; Dafydd's and Eleri's go on
    assert names == ["Dafydd Hughes", "Eleri Price"]
    with advocate.session_transaction() as cookie:
        cookie["acting_for"] = "W06000002:p-1004"
    refused = advocate.get("/your-care/plan")
    assert refused.status_code == 403
    assert "Daeth eich mynediad at ofal Owen Jenkins i ben ar 30 Mehefin 2026." in \
        visible_text(page_of(refused))


def test_pages_read_by_someone_acting_speak_of_the_person_not_of_you(app: Flask) -> None:
    _, carer, _ = carer_of_gwen(app, ["plan"], carer_language="cy")
    home = visible_text(page_of(carer.get("/your-care")))
    assert "Ymweliad nesaf Gwen Morgan" in home and "Eich ymweliad nesaf" not in home
    plan = page_of(carer.get("/your-care/plan"))
    headings = [h.get_text(strip=True) for h in plan.find_all("h2")]
    assert "Beth mae angen help ar Gwen Morgan ag ef (anghenion cymwys)" in headings
    assert "Eich gweithiwr arweiniol" not in headings and "Gweithiwr arweiniol" in headings


def test_the_code_is_also_sent_to_the_invitee_in_welsh_and_english(
        app: Flask, running_sandboxes: object) -> None:
    from portal.services import outbox

    notify = notify_state.of(running_sandboxes.servers["notify"].app).first  # type: ignore
    notify.sent.clear()
    person = app.test_client()
    sign_in(person, "Gwen")
    code, _ = grant(person, ["plan"])
    from portal.worker import senders

    outbox.deliver_due(app.extensions["portal"].store, senders(app.extensions["portal"]))
    mine = [n for n in notify.sent if n["email_address"] == "sian.morgan@example.com"]
    assert len(mine) == 1
    body = mine[-1]["body"]
    assert f"Eich cod yw: {code}" in body and f"Your code is: {code}" in body
    assert body.index("Eich cod yw") < body.index("Your code is")  # Welsh first


def test_delivery_receipts_need_notifys_token_and_are_recorded(app: Flask) -> None:
    from portal.services import outbox
    from portal.store.models import OutboxMessage

    store = app.extensions["portal"].store
    with store.transaction() as db:
        message_id = outbox.enqueue(db, "sms", "invitation-sms-cy+en", "07700900002", {})
    receipt = {"id": "11111111-2222-3333-4444-555555555555", "reference": message_id,
               "status": "permanent-failure"}
    client = app.test_client()
    assert client.post("/notify/receipts", json=receipt).status_code == 401
    assert client.post("/notify/receipts", json=receipt,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.post("/notify/receipts", json=receipt,
                     headers={"Authorization": "Bearer test-callback-token"})
    assert ok.status_code == 200 and ok.json == {"recorded": True}
    with store.transaction() as db:
        assert db.get(OutboxMessage, message_id).delivery_status == "permanent-failure"


def test_a_carer_with_no_record_of_their_own_lands_on_the_people_they_help(
        app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen")
    code, _ = grant(person, ["plan"])
    carer = app.test_client()
    assert sign_in(carer, "Sian", link=False).endswith("/link-your-record")  # not yet
    redeem(carer, code)
    sign_out(carer)
    assert sign_in(carer, "Sian", link=False).endswith("/people-you-help")


def test_a_code_notify_could_not_deliver_is_shown_to_the_person_who_sent_it(app: Flask) -> None:
    from sqlalchemy import select

    from portal.store.models import OutboxMessage

    person = app.test_client()
    sign_in(person, "Gwen", "cy")
    person.post("/who-can-act-for-you/invite", data={
        "csrf_token": csrf_token(person, "/who-can-act-for-you/invite"),
        "name": "Neb", "contact": "07700 900 002", "relationship": "Ffrind", "scopes": ["plan"]})
    assert "Cod heb ei ddanfon" not in page_of(person.get("/who-can-act-for-you")).text
    with app.extensions["portal"].store.transaction() as db:
        message = db.scalar(select(OutboxMessage).where(OutboxMessage.about.like("delegation:%")))
        assert message is not None
        reference = message.id
    app.test_client().post("/notify/receipts", json={
        "id": "11111111-2222-3333-4444-555555555556", "reference": reference,
        "status": "permanent-failure"}, headers={"Authorization": "Bearer test-callback-token"})
    listing = page_of(person.get("/who-can-act-for-you")).text
    assert "Cod heb ei ddanfon" in listing and "Doedd dim modd anfon y cod at 07700 900 002" \
        in listing


def test_the_banner_is_only_on_pages_about_the_person_acted_for(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen", "cy")
    code, _ = grant(person, ["plan"])
    dafydd = app.test_client()
    sign_in(dafydd, "Dafydd", "en")  # a record of his own, and acting for Gwen
    redeem(dafydd, code)
    choose(dafydd, "W06000002:p-1001")
    about_gwen = page_of(dafydd.get("/your-care"))
    assert "You are looking at the care of Gwen Morgan" in about_gwen.find(
        class_="govuk-notification-banner").text
    for his_own in ("/who-can-act-for-you", "/who-has-looked-at-your-record", "/account"):
        page = page_of(dafydd.get(his_own))
        assert page.find(class_="govuk-notification-banner") is None, his_own
        inset = page.find(class_="govuk-inset-text")
        assert inset.p.get_text(strip=True) == \
            "This page is about you and your own account, not about Gwen Morgan.", his_own
        assert inset.a["href"] == "/people-you-help", his_own


def test_the_same_look_in_the_other_language_is_logged_once_and_every_form_each_time(
        app: Flask) -> None:
    person, carer, _ = carer_of_gwen(app, ["plan"])
    carer.get("/your-care/plan")
    carer.get("/language/cy?next=/your-care/plan")
    carer.get("/your-care/plan")  # the same look, in Welsh
    carer.get("/your-care/visits")
    log = visible_text(page_of(person.get("/who-has-looked-at-your-record")))
    assert "2 times in all" in log
    assert log.count("Looked at your care and support plan") == 1


def test_who_can_act_for_you_lists_live_access_before_stopped_access(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen")
    _, stopped = grant(person, ["plan"])
    person.post(f"/who-can-act-for-you/{stopped}/stop", data={
        "csrf_token": csrf_token(person, f"/who-can-act-for-you/{stopped}/stop")})
    grant(person, ["reviews"])
    page = page_of(person.get("/who-can-act-for-you"))
    chosen = page.find("h2", string="Legal powers held by the council").find_all_previous(
        class_="govuk-summary-card")[::-1]  # the people Gwen chose, not the council's record
    cards = chosen
    still_live = [card.find(class_="govuk-summary-card__actions") is not None for card in cards]
    assert still_live == [True, False]  # the code waiting to be used, then the stopped access


@pytest.mark.parametrize("language, yours, theirs", [
    ("en", "in your best interests", "in their best interests"),
    ("cy", "er eich lles pennaf", "er eu lles pennaf"),
])
def test_owen_reads_of_a_decision_made_in_his_best_interests_as_his_own(
        client: FlaskClient, language: str, yours: str, theirs: str) -> None:
    sign_in(client, "Owen", language)
    text = visible_text(page_of(client.get("/who-can-act-for-you")))
    assert yours in text and theirs not in text
