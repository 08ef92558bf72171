"""How care at home is going: the public data page and its open data.

The figures are checked against counts taken here, independently: the council's
from each record the sandbox back office holds (visits read one person at a time
through the contract), the portal's from records written here."""

from __future__ import annotations

import csv
import gzip
import io
import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import brotli
import csvw
import pytest
import requests
import time_machine
import yaml
from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import delete, select

from portal import create_app
from portal.clock import LONDON, utcnow
from portal.config import PROJECT_ROOT
from portal.services import disclosure, figures, outbox, published
from portal.services.disclosure import HELD_BACK
from portal.store.models import (
    Account,
    AuditEvent,
    OutboxMessage,
    Payment,
    PublishedFigures,
    ReviewEvent,
    ReviewRequest,
)
from portal.web.figures import charts
from tests.conftest import page_of, visible_text
from tests.support.journeys import publish

SOMEONE = "W06000002:p-1"
PAGE = "/how-care-at-home-is-going"
SPEC = yaml.safe_load((PROJECT_ROOT / "portal/contracts/public-data-api-v1.yaml").read_text())


def last_full_week() -> figures.Week:
    return figures.weeks_to(utcnow())[-1]


@pytest.fixture(autouse=True)
def worked_out(request: pytest.FixtureRequest) -> None:
    """The worker has worked the figures out, as it does as soon as it starts; unless
    the test writes a past week's records first (a week is published as first worked
    out), marked before_the_worker, and publishes itself."""
    if "app" in request.fixturenames and not request.node.get_closest_marker(
            "before_the_worker"):
        publish(request.getfixturevalue("app"))


def row_of(client: Any, name: str, week: figures.Week) -> dict[str, Any]:
    rows = client.get(f"/data/v1/{name}.json").get_json()["rows"]
    return next(r for r in rows if r["week_start"] == week.start.isoformat())


# The page

@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_page_shows_every_dataset_with_its_chart_a_table_page_and_downloads(
        client: Any, language: str) -> None:
    client.get(f"/language/{language}?next={PAGE}")
    page = page_of(client.get(PAGE))
    text = visible_text(page)
    assert page.find("h1").get_text(strip=True) == (
        "Sut mae gofal yn y cartref yn mynd" if language == "cy"
        else "How care at home is going")
    # Light enough for a phone: the patterns the bars are filled with defined once,
    # the tables on pages of their own.
    assert len(page.find_all(True)) <= 1000
    assert len(page.find_all("pattern")) == len(charts.STYLES)
    for dataset in figures.DATASETS:
        section = page.find("section", attrs={"aria-labelledby": dataset.name})
        assert section is not None, dataset.name
        summary = section.find(id=f"chart-{dataset.name}-summary").get_text(strip=True)
        assert len(summary) > 20
        chart = section.find("svg", attrs={"role": "img"})
        if dataset.source == figures.COUNCIL:  # the sandbox's area has figures to draw
            assert chart["aria-labelledby"] == f"chart-{dataset.name}-title"
            assert chart["aria-describedby"] == f"chart-{dataset.name}-summary"
            assert chart.find_all("rect", class_="portal-chart__bar")
        elif chart is None:  # nothing to draw: the words say why
            assert ("5" in summary) and summary.count(".") == 1
        # The table is a page of its own, linked from the chart, with the same downloads.
        assert section.find("table") is None
        shown = section.find("a", href=f"{PAGE}/{dataset.name}")
        assert shown is not None
        links = {a["href"] for a in section.find_all("a")}
        downloads = {f"/data/v1/{dataset.name}.csv", f"/data/v1/{dataset.name}.json",
                     f"/data/v1/{dataset.name}.csv-metadata.json"}
        assert downloads <= links
        own = page_of(client.get(shown["href"]))
        table = own.find("table")
        heading = own.find("h1").get_text(strip=True)
        assert heading.startswith(section.find("h3").get_text(strip=True))
        assert own.find(class_="portal-table-scroll")["aria-label"] == heading
        assert own.find("a", class_="govuk-back-link")["href"] == f"{PAGE}#{dataset.name}"
        if not dataset.weekly:  # a row a kind is named by its kind, not its week
            assert table.find("thead").find("th").get_text(strip=True) not in (
                "Week starting", "Wythnos yn dechrau")
        assert bool(own.find(class_="portal-table-scroll__hint")) == (
            len(table.find("thead").find_all("th")) > 3)
        assert len(table.find("tbody").find_all("tr")) == (
            figures.WEEKS if dataset.weekly else len(
                client.get(f"/data/v1/{dataset.name}.json").get_json()["rows"]))
        assert downloads <= {a["href"] for a in own.find_all("a")}
        text += " " + visible_text(own)
    # Nothing has happened in this new portal yet: its own counts are all held back.
    assert ("llai na 5" if language == "cy" else "fewer than 5") in text
    if language == "cy":
        for english in ("fewer than 5", "Last updated", "Week starting", "This week so far",
                        "Home care visits"):
            assert english not in text
        assert "Diweddarwyd ddiwethaf" in text


def test_the_start_page_and_every_footer_link_to_the_page(client: Any) -> None:
    for path in ("/", "/help"):
        links = [a["href"] for a in page_of(client.get(path)).find_all("a")]
        assert PAGE in links
    footer = page_of(client.get("/cookies")).find(class_="govuk-footer")
    assert PAGE in [a["href"] for a in footer.find_all("a")]


# The council's figures, counted independently

def test_the_council_figures_match_counts_taken_from_every_record(
        client: Any, running_sandboxes: Any, base_settings: Any) -> None:
    week = last_full_week()
    sandbox = running_sandboxes.back_office()
    people = sandbox.people
    backoffice = requests.Session()
    backoffice.headers["Authorization"] = f"Bearer {base_settings.BACKOFFICE_API_KEY}"
    visits = {"completed": 0, "late": 0, "missed": 0, "cancelled": 0}
    planned = 0.0
    for person_id in people:
        answer = backoffice.get(f"{base_settings.BACKOFFICE_URL}/v1/people/{person_id}/visits",
                                params={"from": week.start.isoformat(),
                                        "to": week.end.isoformat()}, timeout=5).json()
        for visit in answer["visits"]:
            if visit["status"] in visits:
                visits[visit["status"]] += 1
                planned += (datetime.fromisoformat(visit["planned"]["end"]) - datetime
                            .fromisoformat(visit["planned"]["start"])).total_seconds() / 3600
    end = week.end
    receiving = sum(
        1 for d in people.values() if (d.plan or d.rounds or d.direct_payment)
        and (d.care_from is None or d.care_from <= end) and (d.care_until is None
                                                              or end <= d.care_until))
    waiting = [(end - d.waiting_since).days for d in people.values()
               if d.waiting_since and d.waiting_since <= end
               and (d.care_from is None or end < d.care_from)]
    asked = sum(1 for r in sandbox.carer_requests.values()
                if week.start <= datetime.fromisoformat(r["authored_on"]).astimezone(
                    LONDON).date() <= end)

    visits_row = row_of(client, "home-care-visits", week)
    assert visits_row["on_time"] == disclosure.count(visits["completed"])
    for status in ("late", "missed", "cancelled"):
        assert visits_row[status] == disclosure.count(visits[status])
    assert visits["completed"] > 1000 and visits["late"] > 5  # a real week to count
    assert row_of(client, "hours-of-care", week)["hours_planned"] == round(planned, -1)
    assert row_of(client, "care-at-home", week)["people_receiving_care"] == \
        disclosure.count(receiving)
    waiting_row = row_of(client, "waiting-for-care", week)
    assert waiting_row["people_waiting"] == disclosure.count(len(waiting))
    waiting.sort()
    middle = len(waiting) // 2
    median = waiting[middle] if len(waiting) % 2 else (waiting[middle - 1] + waiting[middle]) / 2
    assert waiting_row["median_days_waited"] == round(median)
    assert row_of(client, "carers-assessments", week)["asked_for"] == disclosure.count(asked)


# The portal's own figures, from records written here

def _records(app: Flask, week: figures.Week) -> None:
    """In the week: 13 people chose a language (6 Welsh), 12 reviews asked for and 11
    confirmed after 1 to 11 hours, 9 payments that went through and 3 that did not,
    8 emails (6 delivered) and 2 texts, and 7 carers and 1 attorney acting for people."""
    during = datetime.combine(week.start + timedelta(days=2), datetime.min.time(),
                              LONDON).astimezone(UTC) + timedelta(hours=9)
    with app.extensions["portal"].store.transaction() as db:
        accounts = [Account(identity_sub=f"sub-{n}", language="cy" if n < 6 else "en",
                            created_at=during) for n in range(13)]
        db.add_all(accounts)
        db.flush()
        someone = accounts[0].id
        for n in range(12):
            request = ReviewRequest(
                reference=f"RV-T{n:04d}", person_id=f"p-{n}", person_name="Someone",
                requested_by_account_id=someone, requested_by_name="Someone", reason="plan-due",
                mode="home", slot_id="s", slot_start=during, slot_end=during,
                created_at=during)
            db.add(request)
            db.flush()
            if n < 11:
                db.add(ReviewEvent(request_id=request.id, kind="confirmed",
                                   at=during + timedelta(hours=n + 1)))
        for n in range(12):
            db.add(Payment(reference=f"PY-T{n:04d}", person_id=f"p-{n}", person_name="Someone",
                           invoice_id=f"inv-{n}", invoice_number="INV", amount_pence=100,
                           language="en", made_by_account_id=someone, made_by_name="Someone",
                           state="success" if n < 9 else "failed", finished=True,
                           created_at=during))
        for n in range(10):
            db.add(OutboxMessage(channel="email" if n < 8 else "sms",
                                 template=f"review-booked-{'email' if n < 8 else 'sms'}-cy",
                                 recipient="someone@example.com", personalisation="{}",
                                 status="sent", sent_at=during,
                                 delivery_status="delivered" if n < 6 else None))
        for n in range(7):
            for _ in range(3):  # many reads by one carer for one person count once
                db.add(AuditEvent(person_id=f"p-{n}", actor_account_id=someone,
                                  actor_name="A carer", actor_role="carer", action="care.home",
                                  at=during))
        db.add(AuditEvent(person_id=SOMEONE, actor_account_id=accounts[1].id, actor_name="An "
                          "attorney", actor_role="attorney", action="care.home", at=during))


@pytest.mark.any_hour
def test_visits_today_so_far_are_the_days_visits_up_to_now_by_how_they_went(
        client: Any, running_sandboxes: Any, base_settings: Any) -> None:
    with time_machine.travel(utcnow(), tick=False):  # no visit ends while counting
        _visits_today_match(client, running_sandboxes, base_settings)


def _visits_today_match(client: Any, running_sandboxes: Any, base_settings: Any) -> None:
    today = utcnow().astimezone(LONDON).date()
    backoffice = requests.Session()
    backoffice.headers["Authorization"] = f"Bearer {base_settings.BACKOFFICE_API_KEY}"
    counted = {"completed": 0, "late": 0, "missed": 0, "cancelled": 0}
    for person_id in running_sandboxes.back_office().people:
        for visit in backoffice.get(
                f"{base_settings.BACKOFFICE_URL}/v1/people/{person_id}/visits", timeout=5,
                params={"from": today.isoformat(), "to": today.isoformat()}).json()["visits"]:
            if visit["status"] in counted:  # under way, or not due yet: not counted yet
                counted[visit["status"]] += 1
    assert publish(client.application)
    (row,) = client.get("/data/v1/visits-today.json").get_json()["rows"]
    assert row["day"] == today.isoformat()
    assert row["on_time"] == disclosure.count(counted["completed"])
    for status in ("late", "missed", "cancelled"):
        assert row[status] == disclosure.count(counted[status])


@pytest.mark.before_the_worker
def test_the_portal_figures_match_what_it_recorded(app: Flask, client: Any) -> None:
    week = last_full_week()
    _records(app, week)
    publish(app)
    assert row_of(client, "welsh-language", week) | {} == {
        **week.cells(), "people": 15, "chose_welsh": 5, "welsh_percent": 33.3}
    reviews = row_of(client, "reviews-online", week)
    assert (reviews["asked_for"], reviews["confirmed"]) == (10, 10)
    assert reviews["median_hours_to_confirm"] == 6.0  # 1 to 11 hours
    assert reviews["p90_hours_to_confirm"] is None    # fewer than 20
    assert row_of(client, "payments-online", week) == {
        **week.cells(), "payments": 10, "succeeded": 10, "success_percent": None}
    messages = row_of(client, "messages-sent", week)
    assert (messages["email"], messages["text"], messages["letter"]) == (10, HELD_BACK, HELD_BACK)
    # 6 of 8 arrived, published as 5 of 10: the percentage is of what is published.
    assert messages["email_delivered_percent"] == 50.0
    by_language = client.get("/data/v1/messages-by-language.json").get_json()["rows"]
    assert {(r["channel"], r["language"]): r["sent"] for r in by_language}[("email", "cy")] == 10
    acting = row_of(client, "acting-for-someone", week)
    assert (acting["given_in_portal"], acting["lasting_power_of_attorney"]) == (5, HELD_BACK)
    # The week before saw none of it.
    assert row_of(client, "payments-online", figures.weeks_to(utcnow())[-2])["payments"] \
        == HELD_BACK


@pytest.mark.before_the_worker
def test_messages_count_the_same_once_the_outbox_has_cleared_them(app: Flask,
                                                                   client: Any) -> None:
    """The outbox keeps finished messages 30 days; the figures go back 13 weeks."""
    week = last_full_week()
    _records(app, week)
    sent_at = week.begins + timedelta(hours=12)
    with app.extensions["portal"].store.transaction() as db:
        for n in range(9):  # letters in both languages, and texts in English
            db.add(OutboxMessage(channel="letter" if n < 6 else "sms",
                                 template="review-booked-letter-cy+en" if n < 6
                                 else "review-booked-sms-en",
                                 recipient="someone", personalisation="{}", status="sent",
                                 sent_at=sent_at, next_attempt_at=sent_at,
                                 delivery_status="received" if n < 5 else "delivered"))

    def published() -> tuple[Any, ...]:
        publish(app)
        return (row_of(client, "messages-sent", week),
                client.get("/data/v1/messages-by-language.json").get_json()["rows"])

    before = published()
    assert before[0]["letter"] == 5
    store = app.extensions["portal"].store
    assert outbox.clear_finished(store, utcnow() + timedelta(seconds=1), keep=timedelta(0),
                                 batch=4) == 19
    with store.transaction() as db:
        assert db.scalars(select(OutboxMessage)).first() is None
    assert published() == before


@pytest.mark.before_the_worker
def test_no_published_count_is_under_5_or_other_than_a_multiple_of_5(
        app: Flask, client: Any) -> None:
    _records(app, last_full_week())
    publish(app)
    for dataset in figures.DATASETS:
        for row in client.get(f"/data/v1/{dataset.name}.json").get_json()["rows"]:
            for name, datatype in dataset.columns:
                value = row[name]
                if datatype == figures.INTEGER and value is not None and "days" not in name:
                    assert value == HELD_BACK or (value >= 5 and value % 5 == 0), \
                        (dataset.name, name, value)


# Open data

@pytest.mark.parametrize("name", [d.name for d in figures.DATASETS])
def test_the_csv_json_and_csv_on_the_web_metadata_agree_and_validate(
        client: Any, name: str, tmp_path: Path) -> None:
    as_json = client.get(f"/data/v1/{name}.json").get_json()
    text = client.get(f"/data/v1/{name}.csv").get_data(as_text=True)
    metadata = client.get(f"/data/v1/{name}.csv-metadata.json").get_json()
    header = next(csv.reader(io.StringIO(text)))
    assert [c["name"] for c in metadata["tableSchema"]["columns"]] == header == [
        c["name"] for c in as_json["columns"]]
    for column in metadata["tableSchema"]["columns"]:
        assert column["titles"]["cy"] and column["titles"]["en"]
        assert {d["@language"] for d in column["dc:description"]} == {"cy", "en"}
    assert {t["@language"] for t in metadata["dc:title"]} == {"cy", "en"}
    assert metadata["dc:license"]["@id"].startswith(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3")
    # Parsed and typed as CSV on the Web says, every cell against its column.
    (tmp_path / f"{name}.csv").write_text(text)
    metadata["url"] = f"{name}.csv"
    (tmp_path / "metadata.json").write_text(json.dumps(metadata))
    table = csvw.Table.from_file(tmp_path / "metadata.json")
    typed = list(table.iterdicts(strict=True))
    assert len(typed) == len(as_json["rows"])
    for parsed, row in zip(typed, as_json["rows"], strict=True):
        for column in header:
            value = row[column]
            if value == HELD_BACK or value is None:
                assert parsed[column] is None
            elif isinstance(parsed[column], date):
                assert parsed[column].isoformat()[:10] == value  # a date, as a datetime
            elif isinstance(value, float):
                assert float(parsed[column]) == value  # a decimal
            else:
                assert parsed[column] == value


def test_the_api_is_described_by_its_openapi_document(client: Any) -> None:
    document = client.get("/data/v1/openapi.json").get_json()
    validate(document)
    assert document == json.loads(json.dumps(SPEC))

    def conforms(body: Any, path: str) -> None:
        schema = {**SPEC["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"], "components": SPEC["components"]}
        errors = list(Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER).iter_errors(body))
        assert not errors, [e.message for e in errors]

    catalogue = client.get("/data/v1/datasets.json").get_json()
    conforms(catalogue, "/data/v1/datasets.json")
    assert [d["name"] for d in catalogue["datasets"]] == [d.name for d in figures.DATASETS]
    assert SPEC["components"]["parameters"]["Name"]["schema"]["enum"] == [
        d.name for d in figures.DATASETS]
    for dataset in figures.DATASETS:
        conforms(client.get(f"/data/v1/{dataset.name}.json").get_json(),
                 "/data/v1/{name}.json")


@pytest.mark.parametrize("suffix", [".json", ".csv", ".csv-metadata.json"])
def test_open_data_may_be_kept_a_minute_read_from_any_site_and_revalidated(
        client: Any, suffix: str) -> None:
    path = f"/data/v1/home-care-visits{suffix}"
    first = client.get(path, headers={"Origin": "https://example.org"})
    assert first.status_code == 200
    assert first.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    # Sent compressed as written once: the same bytes to every asker, the same content.
    packed = [client.get(path, headers={"Accept-Encoding": encoding})
              for encoding in ("br", "br", "gzip")]
    assert [p.headers["Content-Encoding"] for p in packed] == ["br", "br", "gzip"]
    assert packed[0].data == packed[1].data
    assert brotli.decompress(packed[0].data) == gzip.decompress(packed[2].data) == first.data
    assert {p.headers["ETag"] for p in packed} == {f"W/{etag}"}
    preflight = client.options(path, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    # The page itself is never kept: it shows who is signed in.
    assert client.get(PAGE).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [
    "/data/v1/nobody.json", "/data/v1/home-care-visits.xml", "/data/v1/..%2fsecret.csv",
    "/data/v1/" + "a" * 5000 + ".json", "/data/v1/care-at-home.csv/extra"])
def test_an_address_that_is_no_dataset_is_not_found(client: Any, path: str) -> None:
    assert client.get(path).status_code == 404


# Worked out at most once a minute, shared by every process

def test_a_readers_request_never_works_the_figures_out(
        app: Flask, running_sandboxes: Any) -> None:
    asked = running_sandboxes.back_office().statistics_asked
    with app.extensions["portal"].store.transaction() as db:
        db.execute(delete(PublishedFigures))  # a new service, before its worker's first go
    before = len(asked)
    client = app.test_client()
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "These figures are being worked out" in visible_text(page_of(page))
    assert client.get("/data/v1/home-care-visits.json").status_code == 503
    assert len(asked) == before
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(PublishedFigures.body)) is None
    assert publish(app)
    assert client.get("/data/v1/home-care-visits.json").status_code == 200


def test_the_figures_are_worked_out_once_a_minute_by_one_of_the_workers(
        app: Flask, base_settings: Any, running_sandboxes: Any) -> None:
    asked = running_sandboxes.back_office().statistics_asked
    url = str(app.extensions["portal"].store.engine.url.render_as_string(hide_password=False))
    other = create_app(replace(base_settings, DATABASE_URL=url))
    other.config["TESTING"] = True
    before = len(asked)
    clients = [app.test_client(), other.test_client()]
    workers = [app.extensions["portal"], other.extensions["portal"]]
    # Many readers at once, on two processes' worth of apps: none works anything out.
    answers: list[int] = []

    def read(n: int) -> None:
        answers.append(clients[n % 2].get("/data/v1/home-care-visits.json").status_code)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 12
    for c in clients:
        assert c.get(PAGE).status_code == 200
    assert len(asked) == before
    # A minute on, two workers try at once: one of them works the figures out.
    with time_machine.travel(utcnow() + timedelta(seconds=61), tick=True):
        did: list[bool] = []
        tries = [threading.Thread(target=lambda w=w: did.append(published.refresh(
            w.store, w.backoffice, published.areas_of(w.councils), utcnow())))
                 for w in workers * 3]
        for thread in tries:
            thread.start()
        for thread in tries:
            thread.join()
        assert sorted(did) == [False] * 5 + [True]
        assert clients[1].get("/data/v1/care-at-home.json").status_code == 200
    assert len(asked) - before == 1
    other.extensions["portal"].store.engine.dispose()


def test_when_the_council_system_is_down_its_last_figures_stay_with_their_time(
        app: Flask, client: Any, backoffice_faults: Any) -> None:
    first = client.get("/data/v1/home-care-visits.json").get_json()["updated"]
    backoffice_faults.set(fail_status=503)
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=True):
        publish(app)
        visits = client.get("/data/v1/home-care-visits.json").get_json()
        payments = client.get("/data/v1/payments-online.json").get_json()
        assert visits["updated"] == first  # the council's, as last updated
        assert datetime.fromisoformat(payments["updated"]) > datetime.fromisoformat(first)
        page = client.get(PAGE)
        assert page.status_code == 200


def test_with_no_figures_kept_and_the_council_system_down_the_rest_is_published(
        app: Flask, client: Any, backoffice_faults: Any) -> None:
    with app.extensions["portal"].store.transaction() as db:
        db.execute(delete(PublishedFigures))
    backoffice_faults.set(fail_status=503)
    publish(app)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "the council's system is not answering" in visible_text(page_of(page))
    missing = client.get("/data/v1/home-care-visits.csv")
    assert missing.status_code == 503 and missing.headers["Retry-After"] == "60"
    assert client.get("/data/v1/payments-online.csv").status_code == 200
    names = [d["name"] for d in client.get("/data/v1/datasets.json").get_json()["datasets"]]
    assert names == [d.name for d in figures.DATASETS if d.source == figures.PORTAL]
    backoffice_faults.set()
    publish(app)
    assert client.get("/data/v1/home-care-visits.csv").status_code == 200


@pytest.mark.any_hour
def test_the_weeks_are_whole_weeks_in_wales_ending_with_the_last_that_is_over(
        client: Any) -> None:
    rows = client.get("/data/v1/care-at-home.json").get_json()["rows"]
    today = utcnow().astimezone(LONDON).date()
    assert len(rows) == figures.WEEKS
    assert [r["week_complete"] for r in rows] == [True] * figures.WEEKS
    last = date.fromisoformat(rows[-1]["week_start"])
    assert last.weekday() == 0 and last + timedelta(days=7) <= today < last + timedelta(days=14)
    for before, after in zip(rows, rows[1:], strict=False):
        assert date.fromisoformat(after["week_start"]) - date.fromisoformat(
            before["week_start"]) == timedelta(days=7)



# The attacker: anyone who can add an event (an advocate opening someone's care, a
# review asked for, a payment, a language chosen) and watch every published form.

def _everything_published(client: Any) -> dict[str, Any]:
    """Every form a figure is published in: each dataset's JSON rows and CSV, and the
    page's text, in both languages."""
    seen: dict[str, Any] = {}
    for dataset in figures.DATASETS:
        seen[f"{dataset.name}.json"] = client.get(f"/data/v1/{dataset.name}.json").get_json()[
            "rows"]
        seen[f"{dataset.name}.csv"] = client.get(f"/data/v1/{dataset.name}.csv").data
    for language in ("en", "cy"):
        client.get(f"/language/{language}")
        text = visible_text(page_of(client.get(PAGE)))
        seen[f"page-{language}"] = text.split("Last updated")[0] if language == "en" else text
    return seen


def _what_the_attacker_adds(app: Flask, n: int, attacker: str) -> None:
    """One more of each kind of event, by the attacker, now."""
    now = utcnow()
    with app.extensions["portal"].store.transaction() as db:
        db.add(AuditEvent(person_id=f"p-attacked-{n}", actor_account_id=attacker,
                          actor_name="An advocate", actor_role="advocate", action="care.home",
                          at=now))
        request = ReviewRequest(
            reference=f"RV-A{n:04d}", person_id="p-a", person_name="Someone",
            requested_by_account_id=attacker, requested_by_name="Someone", reason="plan-due",
            mode="home", slot_id="s", slot_start=now, slot_end=now, created_at=now)
        db.add(request)
        db.add(Payment(reference=f"PY-A{n:04d}", person_id="p-a", person_name="Someone",
                       invoice_id=f"inv-a{n}", invoice_number="INV", amount_pence=100,
                       language="en", made_by_account_id=attacker, made_by_name="Someone",
                       state="success", finished=True, created_at=now))
        db.add(Account(identity_sub=f"sub-attacker-{n}", language="cy", created_at=now))
        # and changes what is already there: their own language, back and forth
        account = db.get(Account, attacker)
        account.language = "en" if account.language == "cy" else "cy"


def _others_could_be(published: Any, added: int) -> list[int]:
    """Every count of other people's events that fits what was published, given that
    the attacker added `added` of them: what the attacker can infer."""
    return [n for n in range(200) if disclosure.count(n + added) == published]


@pytest.mark.before_the_worker
def test_adding_events_one_at_a_time_reveals_no_count(app: Flask, client: Any) -> None:
    """The attacker adds events one at a time and watches every published form after
    each: nothing published changes while they act (only weeks that are over are
    published, and a week is published as first worked out), and the one figure their
    week is given leaves several counts possible for everyone else, or none."""
    week = last_full_week()
    _records(app, week)  # others: 1 attorney's and 7 carers' reads, 12 reviews, ...
    with app.extensions["portal"].store.transaction() as db:
        attacker = db.scalar(select(Account.id).where(Account.identity_sub == "sub-0"))
        advocates = [Account(identity_sub=f"sub-advocate-{n}") for n in range(4)]
        db.add_all(advocates)
        db.flush()
        for n, advocate in enumerate(advocates):  # and 4 advocates' reads: under 5
            db.add(AuditEvent(person_id=f"p-{n}", actor_account_id=advocate.id,
                              actor_name="An advocate", actor_role="advocate",
                              action="care.home", at=week.begins + timedelta(hours=30)))
    publish(app)
    before = _everything_published(client)
    assert row_of(client, "acting-for-someone", week)["advocacy"] == HELD_BACK
    for n in range(7):
        _what_the_attacker_adds(app, n, attacker)
        publish(app)  # a minute has passed
        assert _everything_published(client) == before, f"changed after event {n + 1}"
    # The attacker's week ends and is published, once.
    with time_machine.travel(utcnow() + timedelta(days=7), tick=False):
        publish(app)
        their_week = figures.weeks_to(utcnow())[-1]
        published = {name: row_of(client, name, their_week) for name in (
            "acting-for-someone", "reviews-online", "payments-online", "welsh-language")}
        for n in range(7, 10):  # more events, and language changes, the week after
            _what_the_attacker_adds(app, n, attacker)
            publish(app)
            assert {name: row_of(client, name, their_week) for name in published} == published
        # The week before theirs, with the 4 advocates' reads, is as it was.
        assert row_of(client, "acting-for-someone", week)["advocacy"] == HELD_BACK
    for name, column in (("acting-for-someone", "advocacy"), ("reviews-online", "asked_for"),
                         ("payments-online", "payments"), ("welsh-language", "chose_welsh")):
        # At most they learn that nobody else did it that week (a zero, about no one);
        # never how many people did.
        possible = _others_could_be(published[name][column], 7)
        assert len(possible) >= 2 or possible == [0], (name, column, possible)
