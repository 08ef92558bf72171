"""How long pages take against a slow back office, as a multiple of its latency.

    PYTHONPATH=. .venv/bin/python benchmarks/pages.py [latency-ms] [repeats]   (make bench)

Starts the sandboxes on loopback with the back office answering after
latency-ms (default 200) and the portal in this process (embedded settings:
SQLite, back-office answers kept in memory). For each page and role it prints
p50 and p95 of the time a page takes divided by that latency, for the first
view (nothing kept: every back-office round counts) and for views again within
BACKOFFICE_CACHE_SECONDS. "cold": nothing kept at all; "first": nothing kept
about Gwen (as after a write for her, or 30 seconds on), while who may act for
whom is as kept from choosing whose care to see; "again": straight after. A page
with one round of back-office reads comes out just over 1.0; the goal is at most
1.2. Also prints what a
first visit sends (HTML, then CSS and JavaScript as a browser accepting brotli
gets them)."""

from __future__ import annotations

import dataclasses
import logging
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import requests
from flask import Flask
from flask.testing import FlaskClient

from portal import config, create_app, sandboxes
from portal.clock import today, utcnow
from portal.councils import Councils
from portal.messages import sandbox_template_ids
from portal.services import published
from tests.conftest import DEMO_RECORDS, csrf_token, free_port, link_record, page_of, sign_in
from tests.support.journeys import deliver, post
from tests.support.pages import body_of

GWEN = "W06000002:p-1001"  # her record's key: Gwynedd's, as the bench portal serves
# Gwen's first visit yesterday, finished, with what the care worker recorded.
GWENS_VISIT = f"/your-care/visits/v-p-1001-{today() - timedelta(days=1)}-0"
# Rhys's record is with Merthyr Tudful; he is advocate for Dafydd (Ceredigion) too.
DAFYDD, ELERI = "W06000008:p-1002", "W06000024:p-1003"
CEREDIGION = "W06000008"
ACTING = ["/your-care", "/your-care/plan", "/your-care/visits", "/your-requests",
          "/your-care/letters", "/messages", "/people-you-help", "/account"]
MONEY = ["/your-charges", "/your-charges/direct-payments", "{period}", "{sent_return}",
         "/your-charges/financial-assessment", "{assessment}", "{look_again}", "/your-requests"]
ROLES = {
    "Gwen (her own)": ("Gwen", None, ["/your-care", "/your-care/plan", "/your-care/visits",
                                     GWENS_VISIT,
                                     "/your-requests", "/your-charges", "/your-care/letters",
                                     "/messages", "/messages/conv-p-1001-morning", "/account",
                                     "/who-can-act-for-you",
                                     "/who-has-looked-at-your-record",
                                     "/account/care-records", "/account/moved",
                                     "/what-will-i-pay", "/what-will-i-pay/questions",
                                     "/emergency-plans", "{plan}",
                                     "/ask-for-care-and-support"]),
    "Siân for Gwen (LPA)": ("Sian", GWEN, ["/your-care", "/your-care/plan",
                                                "/your-care/visits", GWENS_VISIT,
                                                "/your-requests",
                                                "/your-care/letters", "/messages",
                                                "/messages/conv-p-1001-morning",
                                                "/people-you-help", "/account",
                                                "/support-for-carers",
                                                "/find-your-council?next=carer",
                                                "/what-will-i-pay",
                                                "/support-for-carers/emergency-plans/new",
                                                "/emergency-plans", "{plan}",
                                                "/ask-for-care-and-support"]),
    # An advocate acting for people in two councils, neither of them his own.
    # Ceredigion takes no changes here (FEATURES): its page says how to tell the council.
    "Rhys for Dafydd (Ceredigion)": ("Rhys", DAFYDD, [*ACTING,
                                                      "/your-care/tell-us-about-a-change"]),
    "Rhys for Eleri (Merthyr)": ("Rhys", ELERI, ACTING),
    # Eleri, moved to Ceredigion, on her record with the council she left (MOVED).
    "Eleri (her earlier record)": ("Eleri", ELERI, [
        "/your-care", "/your-care/plan", "/your-care/visits", "/your-charges",
        "/your-care/letters", "/messages", "/account/care-records", "/account/moved"]),
    # Dafydd, whose care is met by a direct payment: his account, a period's return and
    # one he sent; asking for a financial assessment, one the council decided and was
    # asked to look at again, and asking it to look at another again.
    "Dafydd (his own)": ("Dafydd", None, MONEY),
    # Nerys, whom Dafydd gave the money scope with a code: the same pages, for him.
    "Nerys for Dafydd (by code)": ("Nerys", DAFYDD, MONEY),
    # Signed in with no record of her own yet: finding it, or asking to help someone.
    "Nerys (no record)": ("Nerys", None, ["/link-your-record", "/people-you-help/ask",
                                          "/find-your-council?next=link",
                                          "/support-for-carers",
                                          "/support-for-carers/assessment",
                                          "/ask-for-care-and-support", "{asked}",
                                          "/ask-for-care-and-support/urgent",
                                          "/emergency-plans",
                                          "/support-for-carers/emergency-plans/new"]),
    # Not signed in: asking the council for care and support, from the start page.
    "Anyone (not signed in)": (None, None, ["/", "/ask-for-care-and-support",
                                            "/ask-for-care-and-support/urgent",
                                            "/ask-for-care-and-support/someone-is-at-risk",
                                            "/find-your-council?next=help"]),
}

# A request for care and support Nerys made for her neighbour (its page: "{asked}"),
# and the emergency plan Siân wrote about Gwen ("{plan}"), sent to their councils.
ASKED_FOR_IDRIS = [
    ("/ask-for-care-and-support/urgent", {"urgency": "soon"}),
    ("/ask-for-care-and-support/who", {"relation": "someone-else"}),
    ("/ask-for-care-and-support/their-agreement", {"agreement": "agreed"}),
    ("/ask-for-care-and-support/about", {"name": "Idris Roberts", "address": "2 Stryd y Capel",
                                         "postcode": "LL55 1AA"}),
    ("/ask-for-care-and-support/council", {"council": "W06000002"}),
    ("/ask-for-care-and-support/what-matters", {"what_matters": "Aros adref"}),
    ("/ask-for-care-and-support/what-is-hard", {"what_is_hard": "Coginio"}),
    ("/ask-for-care-and-support/who-helps", {"who_helps": ""}),
    ("/ask-for-care-and-support/advocate", {"advocate": "not-sure"}),
    ("/ask-for-care-and-support/contact", {
        "name": "Nerys Pritchard", "relationship": "Cymydog", "contact_by": "email",
        "email": "nerys@example.com", "language": "cy", "assessment_language": "cy"}),
    ("/ask-for-care-and-support/check", {}),
]
PLAN_FOR_GWEN = {"person": GWEN, "carer_name": "Siân Morgan", "contacts": "Owain, 01632 960 222",
                 "daily_needs": "Cinio a swper", "step_in": "Owain"}

# Who acts for someone with a code that person gave them: whose code, and its scopes.
BY_CODE = {"Nerys for Dafydd (by code)": ("Dafydd", ["money"])}
# What Dafydd tells the council about money before his pages are timed: the estimate's
# answers for a financial assessment, and a period's spending.
ASSESSED = {"page": "care", "go": "on", "pension_age": "no", "disability_benefit": "pip-standard",
            "universal_credit": "120.00", "savings": "1000", "night_care": "no"}
SPENT = {"personal_assistants": "2400.00", "agency_care": "", "equipment": "", "other": ""}

# The records of those (other than Gwen) who look at their own.
OWN_RECORD = {"Dafydd": DAFYDD}

# Who has moved, and the record of the council they moved to: they link it, then open
# the record they left (as "Your care records" does) rather than someone they help.
MOVED = {"Eleri": ("W06000008", "C209310", "1949-11-20")}


def settings(folder: Path, ports: dict[str, int]) -> config.Config:
    """The bench portal: serving the three councils embedded mode serves, each with
    its own back office, all answering after the same latency."""
    config.INSTANCE_DIR = folder
    one = config.Config(
        MODE="benchmark", SECRET_KEY="benchmark", DATABASE_URL=f"sqlite:///{folder}/bench.db",
        BASE_URL="http://portal.test",
        BACKOFFICE_URL=f"http://127.0.0.1:{ports['backoffice']}", BACKOFFICE_API_KEY="bench",
        BACKOFFICE_CONNECT_TIMEOUT=2, BACKOFFICE_READ_TIMEOUT=5,
        IDENTITY_ISSUER=f"http://127.0.0.1:{ports['identity']}/",
        IDENTITY_CLIENT_ID="care-portal-bench",
        IDENTITY_PRIVATE_KEY_PEM=config.embedded_private_key(), SESSION_COOKIE_SECURE=False,
        NOTIFY_API_KEY=config.SANDBOX_NOTIFY_KEY,
        NOTIFY_BASE_URL=f"http://127.0.0.1:{ports['notify']}",
        NOTIFY_TEMPLATE_IDS=sandbox_template_ids(), NOTIFY_CALLBACK_TOKEN="bench",
        PAY_API_KEY=config.SANDBOX_PAY_KEY, PAY_BASE_URL=f"http://127.0.0.1:{ports['pay']}",
        PAY_PAGES_URL=f"http://127.0.0.1:{ports['pay']}", PAY_WEBHOOK_SECRET="bench",
        BACKOFFICE_CACHE_URL="memory://", BACKOFFICE_CACHE_SECONDS=30,
    )
    served = sandboxes.demo_councils(one)
    ceredigion = served.get(CEREDIGION)
    return dataclasses.replace(one, FILE_COUNCILS=Councils([
        dataclasses.replace(ceredigion, features=ceredigion.features - {"changes"})
        if council is ceredigion else council for council in served]))


def timed(client: FlaskClient, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    took = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code}")
    return took


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(latency_ms: int, repeats: int) -> None:
    logging.disable(logging.INFO)
    latency = latency_ms / 1000
    with tempfile.TemporaryDirectory() as folder:
        ports = {name: free_port() for name in config.SANDBOX_PORTS}
        base = settings(Path(folder), ports)
        running = sandboxes.start(base, ports)
        app = create_app(base)
        app.extensions["portal"].store.migrate()
        faults = [council.extensions["sandbox_faults"]
                  for council in running.back_offices.values()]
        backoffice = app.extensions["portal"].backoffice
        print(f"back office latency {latency_ms} ms; {repeats} views of each page; "
              "page time ÷ latency")
        print(f"{'role':<30}{'page':<34}{'cold p50':>8}{'p95':>6}{'first':>8}{'p95':>6}"
              f"{'again':>8}{'p95':>6}")
        written: dict[str, str] = {}
        for role, (who, acting_for, paths) in ROLES.items():
            client = app.test_client()
            if who is not None:
                sign_in(client, who, link=who in DEMO_RECORDS)
            chooser = "/people-you-help"
            if role in BY_CODE:
                given_a_code(app, client, *BY_CODE[role])
            if who in MOVED:
                moved = link_record(client, "/account/moved", *MOVED[who])
                assert moved.status_code == 302, f"{who} cannot link {MOVED[who]}"
                chooser = "/account/care-records"
            if acting_for:
                chosen = client.post(chooser, data={
                    "csrf_token": csrf_token(client, chooser), "person_id": acting_for})
                assert chosen.status_code == 302, f"{who} cannot act for {acting_for}"
            written.update(front_door(app, client, who if role not in BY_CODE else None))
            for council in faults:
                council.set(latency_seconds=latency)
            record = acting_for or OWN_RECORD.get(who or "", GWEN)
            for path in (p.format(**written) if p.startswith("{") else p for p in paths):
                cold, first, again = [], [], []
                for _ in range(repeats):
                    backoffice.cache.clear()
                    cold.append(timed(client, path) / latency)
                    backoffice.forget(record)
                    first.append(timed(client, path) / latency)
                    again.append(timed(client, path) / latency)
                print(f"{role:<30}{path:<34}" + "".join(
                    f"{statistics.median(times):>8.2f}{percentile(times, 0.95):>6.2f}"
                    for times in (cold, first, again)))
            for council in faults:
                council.set()
        long_ones(app, running)
        estimate(app)
        deps = app.extensions["portal"]
        # as the worker does
        published.refresh(deps.store, deps.backoffice, published.areas_of(deps.councils),
                          utcnow())
        first_load(app, "/")
        first_load(app, "/how-care-at-home-is-going")
        first_load(app, "/how-care-at-home-is-going/home-care-visits")
        first_load(app, "/what-will-i-pay")
        running.stop()


def front_door(app: Flask, client: FlaskClient, who: str | None) -> dict[str, str]:
    """What someone asks or writes before their pages are timed, and its page: Siân's
    emergency plan about Gwen (before Gwen's own pages are timed, it is hers to read:
    the same page for both), Nerys's request for her neighbour."""
    if who == "Gwen":
        sian = app.test_client()
        sign_in(sian, "Sian", link=True)
        written = post(sian, "/support-for-carers/emergency-plans/new", PLAN_FOR_GWEN)
        assert written.status_code == 302, written.text
        deliver(app)
        return {"plan": written.headers["Location"].split("?")[0]}
    if who == "Dafydd":
        return money_told(app, client)
    if who == "Nerys":
        for path, answers in ASKED_FOR_IDRIS:
            answered = post(client, path, answers)
            assert answered.status_code == 302, (path, answered.text)
        deliver(app)
        page = page_of(client.get("/ask-for-care-and-support"))
        link = page.select_one(".govuk-summary-card__title a")
        return {"asked": str(link["href"])}
    return {}


def money_told(app: Flask, client: FlaskClient) -> dict[str, str]:
    """Dafydd's two financial assessments, decided by his council, the first of which he
    asks it to look at again (their pages: "{assessment}", "{look_again}" for the
    second's question); and a return of his direct payment's spending, not yet given to
    the council, so that its period is still asked for ("{period}", "{sent_return}")."""
    council = app.extensions["portal"].councils.get(CEREDIGION).back_office.url
    pages = []
    for _ in range(2):
        started = client.post("/your-charges/financial-assessment", data={
            **ASSESSED, "csrf_token": csrf_token(client, "/your-charges/financial-assessment")})
        assert started.status_code == 302, started.text
        post(client, "/your-charges/financial-assessment/home",
             {"owns_home": "no", "lives_with_partner": "no"})
        sent = post(client, "/your-charges/financial-assessment/check", {"declared": "y"})
        assert sent.status_code == 302, sent.text
        pages.append(sent.headers["Location"].split("?")[0])
    deliver(app)
    for task in requests.get(f"{council}/_sandbox/financial-assessments", timeout=5).json()[
            "financial_assessments"]:
        if task["person_id"] != "p-1002" or task["status"] == "completed":
            continue
        requests.post(f"{council}/_sandbox/financial-assessments/{task['id']}/answer",
                      json={"answer": "Counted", "language": "en", "weekly_charge_pence": 2500},
                      timeout=5).raise_for_status()
    asked = post(client, f"{pages[0]}/look-again", {"reasons": "My costs were left out."})
    assert asked.status_code == 302, asked.text
    deliver(app)
    account = page_of(client.get("/your-charges/direct-payments"))
    period = str(account.find("a", href=lambda h: h and "/dpp-" in h)["href"])
    returned = post(client, period, {**SPENT, "declared": "y"})
    assert returned.status_code == 302, returned.text
    return {"assessment": pages[0], "look_again": f"{pages[1]}/look-again", "period": period,
            "sent_return": returned.headers["Location"].split("?")[0]}


def given_a_code(app: Flask, client: FlaskClient, whose: str, scopes: list[str]) -> None:
    """They take up access someone gave them with a code, for these scopes."""
    giver = app.test_client()
    sign_in(giver, whose)
    invited = post(giver, "/who-can-act-for-you/invite", {
        "name": "Nerys Pritchard", "contact": "nerys@example.com", "relationship": "Cymydog",
        "scopes": scopes})
    assert invited.status_code == 200, invited.text
    code = page_of(invited).find(class_="portal-code").get_text(strip=True)
    taken = post(client, "/act-for-someone", {"code": code})
    assert taken.status_code == 302, taken.text


def long_ones(app: object, running: sandboxes.Running) -> None:
    """A conversation of 1,000 replies and an inbox of 500 conversations, against a
    short one of each, warm: each shown a page at a time (goal at most 1.5)."""
    talk = running.back_office("W06000024").conversations  # Owen's council
    owen, at = "p-1004", utcnow() - timedelta(days=1)

    def started(subject: str) -> str:
        return str(talk.send(owen, {"conversation_id": None, "subject": subject, "body": "Helo",
                                    "attachments": [], "sender_name": "Owen Jenkins",
                                    "portal_reference": None}, at)["conversation_id"])

    short = started("Short")
    long = started("Long")
    for n in range(1000):
        talk.reply(owen, long, f"Reply {n}", "en", at + timedelta(seconds=n))
    client = app.test_client()  # type: ignore[attr-defined]
    sign_in(client, "Owen")
    short_inbox = [timed(client, "/messages") for _ in range(5)]
    for n in range(498):
        started(f"Subject {n}")
    # Interleaved, and nine of each, so that a moment's load on the machine falls on
    # each alike rather than on one.
    paths = (f"/messages/{short}", f"/messages/{long}", "/messages")
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(9):
        for path in paths:
            times[path].append(timed(client, path))
    conversation = statistics.median(times[f"/messages/{long}"]) / statistics.median(
        times[f"/messages/{short}"])
    inbox = statistics.median(times["/messages"]) / statistics.median(short_inbox)
    print(f"a conversation of 1,000 replies ÷ one of 1 = {conversation:.2f}; an inbox of 500 "
          f"conversations ÷ one of 2 = {inbox:.2f} (goal at most 1.5 for each)")


# Every answer of "What will I pay", as its last page sends them: a pensioner on Pension
# Credit with Attendance Allowance, in Merthyr Tudful (whose own maximum is lower).
ESTIMATE = {"page": "care", "go": "on", "council": "W06000024", "pension_age": "yes",
            "disability_benefit": "attendance-allowance-higher", "state_pension": "180.00",
            "pension_credit": "144.05", "savings": "3000", "disability_costs": "10",
            "night_care": "no"}


def estimate(app: object) -> None:
    """The estimate (every answer checked, the rules of the day read, every step shown,
    some 60 figures and sources each in the reader's language), signed out, beside the
    help page (a page of text): no back-office round, and goal at most 3."""
    client = app.test_client()  # type: ignore[attr-defined]

    def median_of(send: object) -> float:
        times = []
        for _ in range(50):
            started = time.perf_counter()
            answer = send()  # type: ignore[operator]
            times.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.status_code
        return statistics.median(times)

    the_estimate = median_of(lambda: client.post("/what-will-i-pay/questions", data=ESTIMATE))
    help_page = median_of(lambda: client.get("/help"))
    print(f"estimate {the_estimate * 1000:.1f} ms, help page {help_page * 1000:.1f} ms: "
          f"estimate ÷ help = {the_estimate / help_page:.2f} (goal at most 3)")


def first_load(app: object, path: str) -> None:
    """Bytes a first visit to a page sends, as a browser accepting brotli gets them."""
    import re

    client = app.test_client()  # type: ignore[attr-defined]
    page = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    sizes = {"HTML": len(page.get_data())}
    html = body_of(page)
    for address in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        answer = client.get(address.decode(), headers={"Accept-Encoding": "br, gzip"})
        sizes[address.decode()] = len(answer.get_data())
    module = client.get(next(a for a in sizes if a.endswith(".mjs") and "portal." in a))
    for imported in re.findall(rb'from "\./([^"]+)"', module.get_data()):
        answer = client.get(f"/static/{imported.decode()}", headers={"Accept-Encoding": "br"})
        sizes[f"/static/{imported.decode()}"] = len(answer.get_data())
    print(f"first load of {path} as sent: " + ", ".join(f"{name} {size / 1024:.1f} KB"
                                             for name, size in sizes.items()))
    elements = len(re.findall(rb"<[a-zA-Z]", html))
    print(f"first load total: {sum(sizes.values()) / 1024:.1f} KB (goal at most 60 KB); "
          f"{elements} elements (goal at most 1,000)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200,
         int(sys.argv[2]) if len(sys.argv) > 2 else 5)

