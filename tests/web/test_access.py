"""The authorization matrix: every route the app defines, for every role.

Routes are found from the URL map, so a new route without an access rule
fails here. The number of cells checked is printed."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.clock import today, utcnow
from portal.sandbox.backoffice import state as backoffice_state
from portal.services import access, delegations, earlier
from portal.services.access import SCOPES
from tests.conftest import IDENTITY, csrf_token, page_of, sign_in, sign_out
from tests.support.journeys import publish
from tests.web.conftest import gwen_moves_to_merthyr, move, see

GWEN = "W06000002:p-1001"
OK, SIGN_IN, LINKING, REFUSED, NOT_FOUND = "ok", "to sign-in", "to linking", "refused", "404"
UNAUTHORISED = "401"
# A back-channel logout without the provider's token is a 400, as the standard says.
NO_LOGOUT_TOKEN = "400 invalid_request"
# Callbacks whose caller proves itself with a signed token in the body, not a header.
SIGNED_BODY = {"callbacks.back_channel_logout": NO_LOGOUT_TOKEN}
CARER_ROLES = [f"carer with {s} only" for s in SCOPES] + ["carer with every scope"]
ROLES = ["anonymous", "stranger", "the person", *CARER_ROLES, "revoked carer", "ended carer",
         "attorney (health and welfare)", "advocate", "advocate whose arrangement ended"]
# What a legal authority recorded by the council allows.
AUTHORITY_SCOPES = {
    "attorney (health and welfare)": {"plan", "reviews", "notifications", "messages"},
    "advocate": {"plan", "reviews", "messages"}, "advocate whose arrangement ended": set()}
# Routes about one of Gwen's delegations, or about the visit notes she keeps from someone
# the council records as holding a legal authority over her (Siân): hers alone.
ON_A_DELEGATION = {"sharing.change", "sharing.stop", "sharing.answer", "sharing.holder_notes"}
# Routes about one of Gwen's review requests: someone acting for another person gets 404.
ON_GWENS_REQUEST = {"reviews.detail", "reviews.confirmation", "reviews.calendar",
                    "reviews.move", "reviews.move_check", "reviews.cancel",
                    "visit_reports.what", "visit_reports.detail", "changes.detail", "care.visit",
                    "documents.download", "conversations.conversation"}
# What Gwen has none of, not found by anyone who may look: a file that is in no message
# (a sample path), and a direct payment (its account, and a period of it to account for).
NO_SUCH_FILE = {"conversations.attachment", "direct_payments.account",
                "direct_payments.send_return"}
# Gwen's care and support plan document (a sample path): a download for those her plan
# is open to; anyone else who may see some of her documents finds no such document.
ON_GWENS_PLAN_DOCUMENT = {"documents.download"}
# Routes about one of Gwen's own requests as a carer: hers alone, so 404 for anyone else,
# those who act for her included.
ON_GWENS_CARER_REQUEST = {"carers.detail", "carers.confirmation"}
# A request for care and support Gwen made: hers alone to follow, and its confirmation
# (public, because someone not signed in sees the one they sent) opens for her alone.
ON_GWENS_HELP_REQUEST = {"asking.sent", "asking.detail"}
# Nothing on it yet to add to a calendar (no assessment booked) or to link (no record
# opened): not found, for her too.
NOTHING_ON_IT_YET = {"asking.calendar", "asking.link_record"}
# An emergency plan Gwen wrote as a carer, for a neighbour the portal does not know: hers
# alone to read, download and change; and nobody's to choose readers for (only the
# person a plan is about does that), so not found, for her too, where a record opens it.
ON_GWENS_PLAN = {"emergency_plans.plan", "emergency_plans.download", "emergency_plans.change"}
ABOUT_SOMEONE_ELSE = {"emergency_plans.readers"}
# Routes that change who is signed in; their own tests cover them.
# Cells checked per role, reported at the end of the run (tests/conftest.py).
MATRIX_CELLS: dict[str, int] = {}
SKIP = {"auth.sign_out", "auth.sign_in", "auth.callback",
        # Turns to the carer's own record (their plan's review), like choosing on People
        # you help: tests/web/test_carers.py covers it.
        "carers.review"}


def expected(endpoint: str, rule: str, role: str) -> str:
    if endpoint in ON_GWENS_PLAN:
        return SIGN_IN if role == "anonymous" else OK if role == "the person" else NOT_FOUND
    if endpoint in ABOUT_SOMEONE_ELSE:
        return SIGN_IN if role == "anonymous" else NOT_FOUND \
            if role == "the person" or role in AUTHORITY_SCOPES else LINKING
    if endpoint in ON_GWENS_HELP_REQUEST | NOTHING_ON_IT_YET:
        if role == "anonymous" and rule != "public":
            return SIGN_IN
        return OK if role == "the person" and endpoint in ON_GWENS_HELP_REQUEST else NOT_FOUND
    if rule == "public":
        return OK
    if rule == "by-link":
        return NOT_FOUND  # opened with a link we never sent, whoever you are
    if rule == "service-callback":
        # Only the calling service's token opens it, whoever you are.
        return SIGNED_BODY.get(endpoint, UNAUTHORISED)
    if role == "anonymous":
        return SIGN_IN
    if rule == "signed-in":
        return NOT_FOUND if endpoint in ON_GWENS_CARER_REQUEST and role != "the person" else OK
    if role == "the person":
        return NOT_FOUND if endpoint in NO_SUCH_FILE else OK
    legal = role in AUTHORITY_SCOPES  # linked to a record of their own
    if rule == "linked":
        if not legal:
            return LINKING  # carers and strangers here have no record of their own
        return NOT_FOUND if endpoint in ON_A_DELEGATION else OK  # not their delegation
    scopes = rule.removeprefix("scope:").split("|")  # a page any one of them opens
    if legal:
        if not set(scopes) & AUTHORITY_SCOPES[role]:
            return REFUSED
        if endpoint in NO_SUCH_FILE or (role == "advocate" and endpoint in ON_GWENS_REQUEST):
            return NOT_FOUND
        return OK
    if role == "stranger":
        return LINKING
    if role == "carer with every scope":
        return NOT_FOUND if endpoint in NO_SUCH_FILE else OK
    if role.removeprefix("carer with ").removesuffix(" only") in scopes:
        if endpoint in NO_SUCH_FILE:
            return NOT_FOUND
        # Gwen's care and support plan document is for those who may see her plan.
        return NOT_FOUND if endpoint in ON_GWENS_PLAN_DOCUMENT and \
            role != "carer with plan only" else OK
    return REFUSED


def outcome(response: Any) -> str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.endswith("/sign-in"):
            return SIGN_IN
        if location.endswith("/link-your-record"):
            return LINKING
        return OK  # a redirect the route itself chose
    if response.status_code == 403:
        return REFUSED
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 401:
        return UNAUTHORISED
    if response.status_code == 400 and response.is_json and \
            response.get_json() == {"error": "invalid_request"}:
        return NO_LOGOUT_TOKEN
    return OK if response.status_code in (200, 204, 400) else f"status {response.status_code}"


def grant(person: FlaskClient, scopes: list[str]) -> tuple[str, str]:
    """The person adds someone through the page; returns the code and delegation id."""
    response = person.post("/who-can-act-for-you/invite", data={
        "csrf_token": csrf_token(person, "/who-can-act-for-you/invite"),
        "name": "Siân Morgan", "contact": "sian.morgan@example.com",
        "relationship": "Merch", "scopes": scopes})
    assert response.status_code == 200, response.text
    code = page_of(response).find(class_="portal-code").get_text(strip=True)
    listing = page_of(person.get("/who-can-act-for-you"))
    change = listing.find("a", href=lambda h: h and h.endswith("/change"))
    return code, change["href"].split("/")[2]


def carer_of_gwen(app: Flask, scopes: list[str], person_language: str = "en",
                  carer_language: str = "en") -> tuple[FlaskClient, FlaskClient, str]:
    """Gwen gives Siân (no record of her own) these scopes and Siân takes them up.
    Returns Gwen's client, Siân's client and the delegation's id."""
    person = app.test_client()
    sign_in(person, "Gwen", person_language)
    code, delegation_id = grant(person, scopes)
    carer = app.test_client()
    sign_in(carer, "Sian", carer_language, link=False)
    assert redeem(carer, code).status_code == 302
    return person, carer, delegation_id


def choose(client: FlaskClient, person_id: str) -> None:
    chosen = client.post("/people-you-help", data={
        "csrf_token": csrf_token(client, "/people-you-help"), "person_id": person_id})
    assert chosen.status_code == 302


def redeem(carer: FlaskClient, code: str) -> Any:
    return carer.post("/act-for-someone", data={
        "csrf_token": csrf_token(carer, "/act-for-someone"), "code": code})


def client_for(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A client acting in this role, and a delegation id to use in paths."""
    person = app.test_client()
    sign_in(person, "Gwen")
    if role == "the person":
        return person, grant(person, ["plan"])[1]
    client = app.test_client()
    if role == "anonymous":
        return client, grant(person, ["plan"])[1]
    if role.startswith("attorney"):
        sign_in(client, "Sian")  # linked to her own record; the council holds her LPA
        choose(client, GWEN)
        return client, grant(person, ["plan"])[1]
    if role.startswith("advocate"):
        sign_in(client, "Rhys")  # the council records him and his advocacy arrangements
        if role == "advocate":
            choose(client, "W06000002:p-1003")
        else:  # Owen's arrangement has ended: he can no longer choose Owen, so force it
            with client.session_transaction() as cookie:
                cookie["acting_for"] = "W06000002:p-1004"
        return client, grant(person, ["plan"])[1]
    sign_in(client, "Sian", link=False)
    if role == "stranger":
        return client, grant(person, ["plan"])[1]
    if role == "ended carer":
        store = app.extensions["portal"].store
        gwen = app.extensions["portal"].backoffice.get_person(GWEN)

        with store.transaction() as db:
            account_id = gwens_account(db)
        invitation = delegations.invite(store, account_id, GWEN, gwen.full_name, "Siân",
                                        "sian@example.com", "Merch", list(SCOPES),
                                        today() - timedelta(days=1), utcnow())
        assert redeem(client, invitation.code).status_code == 302
        return client, invitation.delegation_id
    scopes = list(SCOPES) if role in ("carer with every scope", "revoked carer") else \
        [role.removeprefix("carer with ").removesuffix(" only")]
    code, delegation_id = grant(person, scopes)
    assert redeem(client, code).status_code == 302
    if role == "revoked carer":
        stopped = person.post(f"/who-can-act-for-you/{delegation_id}/stop", data={
            "csrf_token": csrf_token(person, f"/who-can-act-for-you/{delegation_id}/stop")})
        assert stopped.status_code == 302
    return client, delegation_id


def gwens_account(db: Any) -> str:
    """Gwen's account, found by her sign-in, whichever record it holds now."""
    from sqlalchemy import select

    from portal.store.models import Account

    return str(db.scalar(select(Account.id).where(Account.identity_sub == IDENTITY["Gwen"].sub)))


def review_for_gwen(app: Flask) -> str:
    """A review request for Gwen, made by her, as the booking journey makes one."""

    from portal.services import reviews

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    slot = reviews.free_slots(deps.backoffice, GWEN, "home", utcnow())[0][1][0]
    answers = reviews.Answers("plan-due", None, "home", None, None, "none", None)
    return reviews.request_review(deps.store, GWEN, "Gwen Morgan", account_id,
                                  "Gwen Morgan", answers, slot, utcnow()).id


def carer_request_of_gwen(app: Flask) -> str:
    """A carer's needs assessment Gwen asked for, as someone who looks after her
    neighbour: hers alone."""

    from portal.services import carers

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    answers = carers.Answers(
        "Mrs Jones", None, "Cymydog", False, "no", ("shopping",), None, "under-20", "yes",
        None, ("time-for-myself",), None, "email", "gwen.morgan@example.com", None, None,
        "cy", None)
    return carers.ask_for_assessment(deps.store, account_id, "W06000002", GWEN, "Gwen Morgan",
                                     answers, utcnow()).id


def help_request_of_gwen(app: Flask) -> str:
    """A request for an assessment of care and support needs Gwen made for her
    neighbour: hers alone to follow."""
    from portal.services import assessment_requests

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    answers = assessment_requests.Answers(
        "not-urgent", "someone-else", "agreed", "Mrs Jones", None, "3 Stryd Fawr", "LL55 1AA",
        None, "Aros adref", "Y grisiau", None, "not-sure", "Gwen Morgan", "Cymydog", "email",
        "gwen.morgan@example.com", None, None, "cy", "cy")
    return assessment_requests.ask(deps.store, account_id, "gwens-help-request", "W06000002",
                                   answers, utcnow()).id


def emergency_plan_of_gwen(app: Flask) -> str:
    """An emergency plan Gwen wrote as the carer of a neighbour: hers alone."""
    from portal.services import emergency_plans

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    sections = emergency_plans.Sections("Ei merch, 01632 960 111", "Cinio a swper", None, None,
                                        None, "Neb", None, None)
    return emergency_plans.write(deps.store, account_id, "Gwen Morgan", GWEN, "W06000002",
                                 None, "Mrs Jones", "cy", sections, utcnow()).id


def gwens_visit_yesterday() -> str:
    return f"v-p-1001-{today() - timedelta(days=1)}-0"


def visit_report_for_gwen(app: Flask) -> str:
    """A report Gwen made about yesterday's morning visit."""

    from portal.services import visit_reports

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    visit = visit_reports.reportable(deps.backoffice, GWEN, gwens_visit_yesterday(),
                                     utcnow())
    assert visit is not None
    return visit_reports.report(deps.store, GWEN, "Gwen Morgan", account_id,
                                "Gwen Morgan", visit.id, visit.planned_start, "came-late",
                                False, None, utcnow()).id


def change_for_gwen(app: Flask) -> str:
    """A change Gwen told the council about: a new phone number."""

    from portal.services import changes

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    return changes.tell(deps.store, GWEN, "Gwen Morgan", account_id, "Gwen Morgan",
                        changes.Told("new-phone", phone="01248 960 123"),
                        account_id, utcnow()).id  # one change, however many roles ask


def assessment_for_gwen(app: Flask) -> str:
    """A request for a financial assessment asked for Gwen, once however many roles ask."""
    from portal.services import estimates, financial_assessments

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    answers = estimates.Answers(True, "none", {"state_pension": 24000}, 0, 0, 0, None, "no")
    return financial_assessments.ask(
        deps.store, GWEN, "Gwen Morgan", account_id, "Gwen Morgan",
        financial_assessments.Application(answers, "yes", False), 0, [], account_id,
        utcnow()).id


def return_for_gwen(app: Flask) -> str:
    """A direct payment return sent for Gwen, once however many roles ask."""
    from datetime import date

    from portal.clients.backoffice import PeriodDue
    from portal.services import direct_payments

    deps = app.extensions["portal"]
    with deps.store.transaction() as db:
        account_id = gwens_account(db)
    period = PeriodDue("dpp-sample", date(2026, 9, 7), date(2026, 11, 29), date(2026, 12, 27))
    return direct_payments.send_return(
        deps.store, GWEN, "Gwen Morgan", account_id, "Gwen Morgan", period,
        dict.fromkeys(direct_payments.SPENDING_KINDS, 0), [], account_id, utcnow()).id


def payment_for_gwen(app: Flask) -> str:
    """A payment Gwen made for one of her invoices."""

    from portal.store.models import Payment

    with app.extensions["portal"].store.transaction() as db:
        account_id = gwens_account(db)
        payment = Payment(reference="PY-TEST-0001", person_id=GWEN,
                          person_name="Gwen Morgan",
                          invoice_id="inv-p-1001-1", invoice_number="INV-104233-01",
                          amount_pence=9640, language="cy", made_by_account_id=account_id,
                          made_by_name="Gwen Morgan", pay_payment_id="sample-payment",
                          state="success", finished=True, created_at=utcnow(), paid_at=utcnow())
        db.add(payment)
        db.flush()
        return payment.id


def routes(app: Flask, delegation_id: str) -> list[tuple[str, str, str, str]]:
    found = []
    review_id = review_for_gwen(app)
    samples = {"page": "help", "code": "cy", "council": "W06000002", "delegation_id": delegation_id,
               "invoice_id": "inv-p-1001-3",
               "payment_id": payment_for_gwen(app), "stop_token": "not-a-link-we-sent",
               "kind": "review-reminder", "visit_id": gwens_visit_yesterday(),
               "report_id": visit_report_for_gwen(app), "step": "when",
               "change_id": change_for_gwen(app), "document_id": "doc-p-1001-plan",
               "conversation_id": "conv-p-1001-morning", "message_id": "msg-none",
               "attachment_id": "att-none", "name": "care-at-home",
               "holder_id": "W06000002:p-2001", "assessment_id": assessment_for_gwen(app),
               "return_id": return_for_gwen(app), "period_id": "dpp-sample",
               "plan_id": emergency_plan_of_gwen(app)}
    carer_request_id, help_request_id = carer_request_of_gwen(app), help_request_of_gwen(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint in SKIP:
            continue
        samples["request_id"] = carer_request_id if rule.endpoint.startswith("carers.") \
            else help_request_id if rule.endpoint.startswith("asking.") else review_id
        samples["kind"] = "going-into-hospital" if rule.endpoint.startswith("changes.") \
            else "review-reminder"
        access = getattr(app.view_functions[rule.endpoint], "access", None)
        assert access is not None, f"{rule.rule} ({rule.endpoint}) has no access rule"
        path = rule.rule.replace(
            "<any(cookies, accessibility, privacy, help, contact):page>", samples["page"])
        # Any other choice of names in the address: the first of them.
        path = re.sub(r"<any\(['\"]?([^,'\"]+)[^)]*\):\w+>", r"\1", path)
        for name in rule.arguments:
            path = path.replace(f"<{name}>", samples[name])
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        found.append((rule.endpoint, method, path, access))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_rules_say(app: Flask, role: str) -> None:
    client, delegation_id = client_for(app, role)
    publish(app)  # the worker has worked out the public figures
    # Forms' CSRF protection is tested on its own; here only who may do what.
    app.config["WTF_CSRF_ENABLED"] = False
    cells = 0
    for endpoint, method, path, rule in routes(app, delegation_id):
        response = client.open(path, method=method)
        assert outcome(response) == expected(endpoint, rule, role), \
            f"{role}: {method} {path} ({rule})"
        cells += 1
    MATRIX_CELLS[role] = cells
    assert cells >= 15


def test_a_refusal_explains_why_in_the_carers_language(app: Flask) -> None:
    carer, _ = client_for(app, "carer with money only")
    carer.get("/language/cy")
    page = page_of(carer.get("/your-care/plan"))
    assert "Nid yw Gwen Morgan wedi rhoi mynediad i chi i'r rhan hon o'u gofal." in page.text
    assert page.find("a", href="/your-care/plan") is None  # no link they may not use


def test_revocation_takes_effect_on_the_carers_next_request(app: Flask) -> None:
    person, carer, delegation_id = carer_of_gwen(app, ["plan"])
    assert carer.get("/your-care/plan").status_code == 200
    person.post(f"/who-can-act-for-you/{delegation_id}/stop", data={
        "csrf_token": csrf_token(person, f"/who-can-act-for-you/{delegation_id}/stop")})
    refused = carer.get("/your-care/plan")
    assert refused.status_code == 403
    assert "Gwen Morgan has stopped your access to their care." in page_of(refused).text


def test_nobody_can_change_or_stop_someone_elses_delegation(app: Flask) -> None:
    person = app.test_client()
    sign_in(person, "Gwen")
    _, delegation_id = grant(person, ["plan"])
    other = app.test_client()
    sign_in(other, "Dafydd")
    assert other.get(f"/who-can-act-for-you/{delegation_id}/change").status_code == 404
    assert other.post(f"/who-can-act-for-you/{delegation_id}/stop", data={
        "csrf_token": csrf_token(other, "/account")}).status_code == 404


def test_sign_out_ends_the_session_on_the_server(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    with client.session_transaction() as cookie:
        stolen = dict(cookie)
    out = sign_out(client)
    assert out.status_code == 302 and "/logout?" in out.headers["Location"]
    replay = app.test_client()
    with replay.session_transaction() as cookie:
        cookie.update(stolen)
    response = replay.get("/your-care")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")


def test_every_page_and_form_about_someones_care_has_words_in_the_access_log(app: Flask) -> None:
    from portal.web.access import CHANGED
    from portal.web.labels import AUDIT_ACTIONS

    needed = set()
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "access", "").startswith("scope:"):
            if "GET" in (rule.methods or ()):
                needed.add(rule.endpoint)
            if "POST" in (rule.methods or ()):
                needed.add(rule.endpoint + CHANGED)
    assert needed - set(AUDIT_ACTIONS) == set()
    assert set(AUDIT_ACTIONS) - needed == set()  # none left over from a removed page


# The same matrix across council lines, on a portal serving Gwynedd (the tests' back
# office, holding Gwen) and Merthyr Tudful (a back office of its own, holding Eleri,
# Owen and Rhys, and no one else).
CROSS_COUNCIL_ROLES = [
    # Rhys's record is in Merthyr Tudful; Gwynedd records him as Gwen's advocate.
    "advocate in another council",
    # Eleri's record is in Merthyr Tudful; Gwen asked her to help, with every scope.
    "carer in another council",
    # Owen's record is in Merthyr Tudful; he has nothing to do with Gwen.
    "person in another council",
    # Gwen herself, moved to Merthyr Tudful, looking at her record with Gwynedd.
    "the person, on the record of the council she left",
]
# What names one of Gwen's things in an address: a person of another council finds none
# of them, whichever id they try.
GWENS_THINGS = {"request_id", "report_id", "change_id", "payment_id", "invoice_id", "visit_id",
                "document_id", "conversation_id", "delegation_id", "message_id",
                "attachment_id", "holder_id", "assessment_id", "return_id", "period_id"}
# Pages that ask the council for something new: not open on a record one has left.
ASKS_FOR_SOMETHING_NEW = {"financial_assessment.start", "financial_assessment.carry_over",
                          "financial_assessment.home", "financial_assessment.check"}
# A report's later questions send anyone who has not answered its first back to it
# (which then finds no such visit): they show nothing of the visit themselves.
BACK_TO_THE_FIRST_QUESTION = {"visit_reports.risk", "visit_reports.details",
                              "visit_reports.check"}


def expected_across_councils(endpoint: str, rule: str, role: str, arguments: set[str]) -> str:
    if endpoint in ON_GWENS_PLAN | ABOUT_SOMEONE_ELSE:  # each role here has a record
        return OK if role.startswith("the person") and endpoint in ON_GWENS_PLAN \
            else NOT_FOUND
    if endpoint in ON_GWENS_HELP_REQUEST | NOTHING_ON_IT_YET:  # her account's, wherever she is
        return expected(endpoint, rule, "the person" if role.startswith("the person")
                        else "stranger")
    if rule in ("public", "by-link", "service-callback"):
        return expected(endpoint, rule, role)
    if role == "the person, on the record of the council she left":
        if endpoint == "sharing.holder_notes":  # Siân's power is over the record she left
            return NOT_FOUND
        if endpoint in ASKS_FOR_SOMETHING_NEW:
            return REFUSED
        scopes = set(rule.removeprefix("scope:").split("|"))
        if rule.startswith("scope:") and not scopes & earlier.SCOPES:
            return REFUSED
        return expected(endpoint, rule, "the person")
    if role == "person in another council":  # their own record, and none of Gwen's
        if endpoint in BACK_TO_THE_FIRST_QUESTION:
            return OK
        # Owen, like Gwen, has no direct payment.
        return NOT_FOUND if arguments & GWENS_THINGS or endpoint in NO_SUCH_FILE else OK
    if rule == "signed-in":
        return NOT_FOUND if endpoint in ON_GWENS_CARER_REQUEST else OK
    if rule == "linked":  # each has a record of their own, in their own council
        return NOT_FOUND if endpoint in ON_A_DELEGATION else OK
    if role == "carer in another council":
        return expected(endpoint, rule, "carer with every scope")
    scopes = set(rule.removeprefix("scope:").split("|"))
    if not scopes & AUTHORITY_SCOPES["advocate"]:
        return REFUSED
    return NOT_FOUND if endpoint in NO_SUCH_FILE else OK


def across_councils(app: Flask, role: str) -> tuple[FlaskClient, str]:
    """A client in this role, its record in Merthyr Tudful, and one of Gwen's
    delegations to use in paths."""
    person = app.test_client()
    sign_in(person, "Gwen")
    if role == "the person, on the record of the council she left":
        delegation_id = grant(person, ["plan"])[1]
        assert move(person).status_code == 302
        assert see(person, GWEN).status_code == 302
        return person, delegation_id
    client = app.test_client()
    who = {"advocate in another council": "Rhys", "carer in another council": "Eleri",
           "person in another council": "Owen"}[role]
    sign_in(client, who)
    if role == "carer in another council":
        code, delegation_id = grant(person, list(SCOPES))
        assert redeem(client, code).status_code == 302
        choose(client, GWEN)
        return client, delegation_id
    if role == "advocate in another council":
        choose(client, GWEN)
    return client, grant(person, ["plan"])[1]


@pytest.mark.parametrize("role", CROSS_COUNCIL_ROLES)
def test_every_route_answers_each_role_as_the_rules_say_across_councils(
        gwynedd_and_merthyr: Flask, merthyr: Any, role: str) -> None:
    app = gwynedd_and_merthyr
    gwen_moves_to_merthyr(merthyr)
    client, delegation_id = across_councils(app, role)
    publish(app)
    app.config["WTF_CSRF_ENABLED"] = False
    arguments = {rule.endpoint: set(rule.arguments) for rule in app.url_map.iter_rules()}
    cells = routes(app, delegation_id)
    wrong = [f"{method} {path} ({rule}): {found}, not {wanted}"
             for endpoint, method, path, rule in cells
             if (found := outcome(client.open(path, method=method))) !=
             (wanted := expected_across_councils(endpoint, rule, role, arguments[endpoint]))]
    assert wrong == []
    MATRIX_CELLS[role] = len(cells)
    assert len(cells) >= 15


# A page each scope opens, for someone acting for Gwen.
PAGE_OF = {"plan": "/your-care/plan", "reviews": "/book-a-review", "money": "/your-charges",
           "messages": "/messages"}


@pytest.mark.parametrize("basis, scopes", [
    ("lpa-health-welfare", None), ("lpa-property-financial", None),
    ("deputyship-health-welfare", None), ("deputyship-property-financial", None),
    ("advocacy", None), ("best-interests", ["plan", "messages"])])
def test_each_legal_basis_acts_across_council_lines_as_it_would_within_one(
        gwynedd_and_merthyr: Flask, merthyr: Any, basis: str, scopes: list[str] | None) -> None:
    # Rhys's record is in Merthyr Tudful; Gwynedd records his authority for Gwen.
    authority = backoffice_state.of(merthyr.app).everyone["p-1001"].related[-1]
    # A best-interests decision is in force until its review (portal.clients.backoffice).
    authority["authorities"][0].update(type=basis, scopes=scopes, review_date="2099-12-31")
    rhys = gwynedd_and_merthyr.test_client()
    sign_in(rhys, "Rhys")
    choose(rhys, GWEN)
    allowed = set(scopes or access.AUTHORITY_SCOPES[basis])
    for scope, path in PAGE_OF.items():
        assert rhys.get(path).status_code == (200 if scope in allowed else 403), (basis, path)
