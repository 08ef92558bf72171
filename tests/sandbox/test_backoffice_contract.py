"""The sandbox back office answers exactly as the OpenAPI contract says."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
import requests
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from portal import clock
from portal.config import PROJECT_ROOT
from portal.sandbox.backoffice.data import people

SPEC = yaml.safe_load((PROJECT_ROOT / "portal/contracts/care-record-api-v1.yaml").read_text())


def test_contract_is_a_valid_openapi_31_document() -> None:
    validate(SPEC)
    assert SPEC["openapi"].startswith("3.1")


def assert_matches(response: requests.Response, path: str, method: str = "get") -> None:
    """Validate a response body against the contract's schema for that status."""
    operation = SPEC["paths"][path][method]
    answer = operation["responses"][str(response.status_code)]
    if "$ref" in answer:
        answer = SPEC["components"]["responses"][answer["$ref"].split("/")[-1]]
    media = response.headers["Content-Type"].split(";")[0]
    assert media in answer["content"], f"{media} not declared for {response.status_code}"
    schema = {**answer["content"][media]["schema"], "components": SPEC["components"]}
    errors = list(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
                  .iter_errors(response.json()))
    assert not errors, [e.message for e in errors]


@pytest.fixture
def backoffice(base_settings: Any, running_sandboxes: Any) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {base_settings.BACKOFFICE_API_KEY}"
    session.base = base_settings.BACKOFFICE_URL  # type: ignore[attr-defined]
    return session


@pytest.mark.parametrize("person_id", sorted(people()) + ["p-nobody"])
def test_every_read_for_every_demo_person_matches_the_contract(
        backoffice: requests.Session, person_id: str) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    today = clock.today()
    reads = [
        ("/v1/people/{person_id}", {}),
        ("/v1/people/{person_id}/care-plan", {}),
        ("/v1/people/{person_id}/visits",
         {"from": (today - timedelta(14)).isoformat(), "to": (today + timedelta(14)).isoformat()}),
        ("/v1/people/{person_id}/related-people", {}),
        ("/v1/people/{person_id}/authorities-held", {}),
        ("/v1/people/{person_id}/charges", {}),
        ("/v1/people/{person_id}/documents", {}),
    ]
    # Yesterday's first visit, finished, with what was recorded of it (where they have
    # visits), and one that does not exist.
    reads += [("/v1/people/{person_id}/visits/{visit_id}", {"visit_id": visit_id})
              for visit_id in (f"v-{person_id}-{today - timedelta(1)}-0", "v-nothing")]
    for path, params in reads:
        response = backoffice.get(base + path.format(person_id=person_id, **params),
                                  params={k: v for k, v in params.items() if k != "visit_id"},
                                  timeout=5)
        assert_matches(response, path)
        if response.ok:
            assert "as_of" in response.json()


def test_match_answers_a_person_or_a_problem_and_replays_by_idempotency_key(
        backoffice: requests.Session) -> None:
    url = backoffice.base + "/v1/people/match"  # type: ignore[attr-defined]
    key = str(uuid.uuid4())
    good = backoffice.post(url, json={"council_reference": "c104233", "birth_date": "1941-03-14"},
                           headers={"Idempotency-Key": key}, timeout=5)
    assert good.status_code == 200
    assert_matches(good, "/v1/people/match", "post")
    assert good.json()["preferred_language"] == "cy"
    replay = backoffice.post(url, json={"council_reference": "C999", "birth_date": "2000-01-01"},
                             headers={"Idempotency-Key": key}, timeout=5)
    assert replay.json()["id"] == good.json()["id"]
    wrong = backoffice.post(url, json={"council_reference": "C104233", "birth_date": "1941-03-15"},
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert wrong.status_code == 404
    assert_matches(wrong, "/v1/people/match", "post")


def test_posts_without_an_idempotency_key_and_calls_without_the_key_are_refused(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    no_key = backoffice.post(base + "/v1/people/match",
                             json={"council_reference": "C104233", "birth_date": "1941-03-14"},
                             timeout=5)
    assert no_key.status_code == 400
    assert no_key.headers["Content-Type"] == "application/problem+json"
    anonymous = requests.get(base + "/v1/people/p-1001", timeout=5)
    assert anonymous.status_code == 401
    assert_matches(anonymous, "/v1/people/{person_id}")


@pytest.mark.any_hour
def test_visits_include_a_missed_and_a_late_visit_this_week_for_eleri(
        backoffice: requests.Session) -> None:
    today = clock.today()
    response = backoffice.get(backoffice.base + "/v1/people/p-1003/visits",  # type: ignore
                              params={"from": (today - timedelta(6)).isoformat(),
                                      "to": today.isoformat()}, timeout=5)
    statuses = [v["status"] for v in response.json()["visits"]]
    assert "missed" in statuses and "late" in statuses


@pytest.mark.usefixtures("news_forgotten")
def test_what_call_monitoring_says_of_a_visit_is_in_the_list_as_the_contract_says(
        backoffice: requests.Session) -> None:
    tomorrow = clock.today() + timedelta(days=1)
    base = backoffice.base  # type: ignore[attr-defined]
    said = {f"v-p-1003-{tomorrow}-0": {"status": "on-the-way",
                                        "expected_start": f"{tomorrow}T08:10:00Z"},
            f"v-p-1003-{tomorrow}-1": {"status": "moved", "moved_to": {
                "start": f"{tomorrow}T14:00:00Z", "end": f"{tomorrow}T14:30:00Z"}}}
    for visit_id, news in said.items():
        told = backoffice.post(f"{base}/_sandbox/people/p-1003/visits/{visit_id}", json=news,
                               timeout=5)
        assert told.status_code == 201
    # What it needs, or it is refused: a move says where to.
    refused = backoffice.post(f"{base}/_sandbox/people/p-1003/visits/{visit_id}",
                              json={"status": "moved"}, timeout=5)
    assert refused.status_code == 400
    listed = backoffice.get(f"{base}/v1/people/p-1003/visits", timeout=5, params={
        "from": tomorrow.isoformat(), "to": tomorrow.isoformat()})
    assert_matches(listed, "/v1/people/{person_id}/visits")
    found = {v["id"]: v for v in listed.json()["visits"]}
    assert found[f"v-p-1003-{tomorrow}-0"]["expected_start"] == f"{tomorrow}T08:10:00Z"
    assert found[f"v-p-1003-{tomorrow}-1"]["status"] == "moved"
    assert found[f"v-p-1003-{tomorrow}-2"]["status"] == "booked"


def test_authorities_held_is_the_reverse_of_related_people(backoffice: requests.Session) -> None:
    held = backoffice.get(backoffice.base + "/v1/people/p-2001/authorities-held",  # type: ignore
                          timeout=5).json()["authorities_held"]
    assert [(h["person_id"], h["authority"]["type"]) for h in held] == \
        [("p-1001", "lpa-health-welfare")]


@pytest.mark.any_hour
def test_review_slots_bookings_moves_and_cancels_match_the_contract_and_replay_by_key(
        backoffice: requests.Session) -> None:
    base = backoffice.base + "/v1/people/p-1002"  # type: ignore[attr-defined]
    today = clock.today()
    window = {"from": today.isoformat(), "to": (today + timedelta(21)).isoformat()}
    slots = backoffice.get(base + "/review-slots", params=window, timeout=5)
    assert_matches(slots, "/v1/people/{person_id}/review-slots")
    free = slots.json()["slots"]
    assert {s["mode"] for s in free} == {"home", "phone", "video", "office"}
    assert all(s["start"][:10] > today.isoformat() for s in free)

    key = str(uuid.uuid4())
    body = {"slot_id": free[0]["id"], "reason": "changed", "reason_detail": "Moved house",
            "notes": {"access_needs": None, "others_attending": "Fy merch",
                      "language_support": "welsh-speaker", "interpreter_language": None},
            "portal_reference": "RV-TEST-0001"}
    booked = backoffice.post(base + "/review-bookings", json=body,
                             headers={"Idempotency-Key": key}, timeout=5)
    assert booked.status_code == 201
    assert_matches(booked, "/v1/people/{person_id}/review-bookings", "post")
    again = backoffice.post(base + "/review-bookings", json=body,
                            headers={"Idempotency-Key": key}, timeout=5)
    assert again.json()["id"] == booked.json()["id"]  # replayed, not booked twice
    taken = backoffice.post(base + "/review-bookings", json=body,
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert taken.status_code == 409
    assert_matches(taken, "/v1/people/{person_id}/review-bookings", "post")
    assert taken.json()["type"] == "urn:care-record:slot-taken"
    still_free = backoffice.get(base + "/review-slots", params=window, timeout=5).json()["slots"]
    assert all(s["start"] != free[0]["start"] for s in still_free)

    booking = booked.json()["id"]
    moved = backoffice.post(f"{base}/review-bookings/{booking}/move",
                            json={"slot_id": still_free[-1]["id"]},
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert_matches(moved, "/v1/people/{person_id}/review-bookings/{booking_id}/move", "post")
    assert moved.json()["start"] == still_free[-1]["start"]
    cancelled = backoffice.post(f"{base}/review-bookings/{booking}/cancel",
                                headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert_matches(cancelled, "/v1/people/{person_id}/review-bookings/{booking_id}/cancel",
                   "post")
    listed = backoffice.get(base + "/review-bookings", timeout=5)
    assert_matches(listed, "/v1/people/{person_id}/review-bookings")
    mine = next(b for b in listed.json()["review_bookings"] if b["id"] == booking)
    assert mine["status"] == "cancelled"
    assert [h["action"] for h in mine["history"]] == ["booked", "moved", "cancelled"]


def test_recording_a_payment_matches_the_contract_and_never_counts_twice(
        backoffice: requests.Session) -> None:
    base = backoffice.base + "/v1/people/p-1003"  # type: ignore[attr-defined]
    invoice = backoffice.post(backoffice.base + "/_sandbox/people/p-1003/invoices",  # type: ignore
                              json={"amount_pence": 6550}, timeout=5).json()
    path = "/v1/people/{person_id}/invoices/{invoice_id}"
    one = backoffice.get(f"{base}/invoices/{invoice['id']}", timeout=5)
    assert_matches(one, path)
    owed = invoice["amount_pence"] - invoice["amount_paid_pence"]
    body = {"amount_pence": owed, "provider": "govuk-pay", "provider_reference": "pay-abc",
            "portal_reference": "p-1"}
    recorded = backoffice.post(f"{base}/invoices/{invoice['id']}/payments", json=body,
                               headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert recorded.status_code == 201
    assert_matches(recorded, path + "/payments", "post")
    again = backoffice.post(f"{base}/invoices/{invoice['id']}/payments", json=body,
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert again.status_code == 200 and again.json()["id"] == recorded.json()["id"]
    more = backoffice.post(f"{base}/invoices/{invoice['id']}/payments",
                           json={**body, "provider_reference": "pay-def"},
                           headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert more.status_code == 409
    assert_matches(more, path + "/payments", "post")
    after = backoffice.get(f"{base}/invoices/{invoice['id']}", timeout=5).json()
    assert after["amount_paid_pence"] == after["amount_pence"] and after["status"] == "balanced"


@pytest.mark.parametrize("body", [[], "a string", 42, None, [{"council_reference": "C1"}]])
def test_a_body_that_is_not_a_json_object_is_a_problem_not_a_crash(
        backoffice: requests.Session, body: object) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    for path in ("/v1/people/match", "/v1/people/p-1001/review-bookings",
                 "/v1/people/p-1001/invoices/inv-p-1001-2/payments"):
        answer = backoffice.post(base + path, json=body,
                                 headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
        assert answer.status_code == 400, (path, answer.text)
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["title"] == "The request body must be a JSON object"


def _concrete(path: str) -> str:
    return path.replace("{person_id}", "p-1001").replace("{booking_id}", "rb-none") \
        .replace("{invoice_id}", "inv-p-1001-1")


@pytest.mark.parametrize("path", sorted(SPEC["paths"]))
def test_every_method_a_path_does_not_take_is_a_405_saying_which_it_does(
        backoffice: requests.Session, path: str) -> None:
    url = _concrete(path)
    # Every method the contract gives this address, under any path it fits: GET
    # /v1/people/match is /v1/people/{person_id} for a person called "match".
    allowed = {m.upper() for other, operations in SPEC["paths"].items()
               if re.fullmatch(re.sub(r"\\{[a-z_]+\\}", "[^/]+", re.escape(other)), url)
               for m in operations if m in ("get", "post", "put", "delete")}
    wrong = next(m for m in ("DELETE", "PUT", "PATCH") if m not in allowed)
    answer = backoffice.request(wrong, backoffice.base + url,  # type: ignore[attr-defined]
                                headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert answer.status_code == 405
    assert answer.headers["Content-Type"] == "application/problem+json"
    said = {m.strip() for m in answer.headers["Allow"].split(",")} - {"HEAD", "OPTIONS"}
    assert said == allowed


@pytest.mark.parametrize("key, status", [("k" * 7, 400), ("k" * 8, 404), ("k" * 128, 404),
                                         ("k" * 129, 400), ("", 400)])
def test_the_idempotency_key_is_held_to_the_length_the_contract_states(
        backoffice: requests.Session, key: str, status: int) -> None:
    answer = backoffice.post(f"{backoffice.base}/v1/people/match",  # type: ignore[attr-defined]
                             json={"council_reference": "NOBODY", "birth_date": "1950-01-01"},
                             headers={"Idempotency-Key": key}, timeout=5)
    assert answer.status_code == status  # 404: the key is fine, and no one matches


def test_a_body_the_contract_closes_takes_no_other_property(backoffice: requests.Session) -> None:
    schema = SPEC["paths"]["/v1/people/match"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert schema["additionalProperties"] is False
    answer = backoffice.post(f"{backoffice.base}/v1/people/match",  # type: ignore[attr-defined]
                             json={"council_reference": "NOBODY", "birth_date": "1950-01-01",
                                   "nhs_number": "9434765919"},
                             headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert answer.status_code == 400 and "nhs_number" in answer.json()["detail"]
    assert_matches(answer, "/v1/people/match", "post")


def test_only_the_limits_the_contract_states_are_enforced(backoffice: requests.Session) -> None:
    base, today = backoffice.base, clock.today()  # type: ignore[attr-defined]
    season = {"from": (today - timedelta(90)).isoformat(), "to": today.isoformat()}
    visits = backoffice.get(f"{base}/v1/people/p-1001/visits", params=season, timeout=5)
    assert visits.status_code == 200  # the contract sets visits no longest range
    slots = backoffice.get(f"{base}/v1/people/p-1001/review-slots", params=season, timeout=5)
    assert slots.status_code == 400  # "at most 62 days after from"
    backwards = backoffice.get(f"{base}/v1/people/p-1001/visits",
                               params={"from": season["to"], "to": season["from"]}, timeout=5)
    assert backwards.status_code == 400


def test_a_change_is_told_listed_and_checked_as_the_contract_says(
        backoffice: requests.Session) -> None:
    base = f"{backoffice.base}/v1/people/p-1002/changes"  # type: ignore[attr-defined]
    change = {"kind": "new-address", "effective_date": clock.today().isoformat(),
              "hospital": None, "phone": None, "needs": [], "carer_name": None,
              "at_risk": False, "details": None, "told_by": "Dafydd",
              "address": {"line": ["1 Stryd y Bont"], "city": "Caernarfon",
                          "postal_code": "LL55 1AB"},
              "portal_reference": f"CH-{uuid.uuid4().hex[:8]}"}
    key = str(uuid.uuid4())
    told = backoffice.post(base, json=change, headers={"Idempotency-Key": key}, timeout=5)
    assert told.status_code == 201 and told.json()["priority"] == "routine"
    assert_matches(told, "/v1/people/{person_id}/changes", "post")
    again = backoffice.post(base, json=change, headers={"Idempotency-Key": key}, timeout=5)
    assert again.json()["id"] == told.json()["id"]
    listed = backoffice.get(base, timeout=5)
    assert_matches(listed, "/v1/people/{person_id}/changes")
    assert [c["id"] for c in listed.json()["changes"]].count(told.json()["id"]) == 1
    # What each kind must give, it must give.
    no_address = backoffice.post(base, json={**change, "address": None},
                                 headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert no_address.status_code == 400 and "address" in no_address.json()["detail"]
    assert_matches(no_address, "/v1/people/{person_id}/changes", "post")
    urgent = backoffice.post(base, json={**change, "at_risk": True},
                             headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert urgent.json()["priority"] == "urgent"


def test_a_document_listed_is_a_file_to_fetch_and_no_other_is(
        backoffice: requests.Session) -> None:
    base = f"{backoffice.base}/v1/people/p-1003/documents"  # type: ignore[attr-defined]
    listed = backoffice.get(base, timeout=5).json()["documents"]
    assert listed
    for document in listed:
        content = backoffice.get(f"{base}/{document['id']}/content", timeout=5)
        assert content.headers["Content-Type"] == document["content_type"]
        assert len(content.content) == document["size"]
    gwens = backoffice.get(f"{base}/doc-p-1001-plan/content", timeout=5)
    assert gwens.status_code == 404
    assert_matches(gwens, "/v1/people/{person_id}/documents/{document_id}/content")


def test_a_message_is_sent_listed_and_followed_as_the_contract_says(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    message = {"conversation_id": None, "subject": "A question", "body": "Hello",
               "sender_name": "Dafydd Hughes", "portal_reference": str(uuid.uuid4()),
               "attachments": [{"filename": "a.png", "content_type": "image/png",
                                "data": "iVBORw0KGgo="}]}
    key = str(uuid.uuid4())
    sent = backoffice.post(f"{base}/v1/people/p-1002/messages", json=message,
                           headers={"Idempotency-Key": key}, timeout=5)
    assert sent.status_code == 201
    assert_matches(sent, "/v1/people/{person_id}/messages", "post")
    again = backoffice.post(f"{base}/v1/people/p-1002/messages", json=message,
                            headers={"Idempotency-Key": key}, timeout=5)
    assert again.json()["id"] == sent.json()["id"]
    listed = backoffice.get(f"{base}/v1/people/p-1002/conversations", timeout=5)
    assert_matches(listed, "/v1/people/{person_id}/conversations")
    mine = [c for c in listed.json()["conversations"]
            if c["id"] == sent.json()["conversation_id"]]
    assert len(mine) == 1 and len(mine[0]["messages"]) == 1
    attachment = sent.json()["attachments"][0]
    file = backoffice.get(f"{base}/v1/people/p-1002/messages/{sent.json()['id']}/attachments/"
                          f"{attachment['id']}", timeout=5)
    assert file.content == b"\x89PNG\r\n\x1a\n"
    wrong = backoffice.post(f"{base}/v1/people/p-1002/messages",
                            json={**message, "conversation_id": "conv-p-1001-morning"},
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert wrong.status_code == 400  # not one of Dafydd's conversations
    feed = backoffice.get(f"{base}/v1/messages-from-council", params={"limit": 500}, timeout=5)
    assert_matches(feed, "/v1/messages-from-council")
    later = backoffice.get(f"{base}/v1/messages-from-council",
                           params={"after": feed.json()["next"]}, timeout=5)
    assert later.json()["messages"] == []
    assert backoffice.get(f"{base}/v1/messages-from-council", params={"after": "-1"},
                          timeout=5).status_code == 400


def test_the_area_figures_are_counts_by_week_as_the_contract_says(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    today = clock.today()
    monday = today - timedelta(days=today.weekday() + 7 * 12)
    found = backoffice.get(f"{base}/v1/statistics/care-at-home",
                           params={"from": monday.isoformat(), "weeks": 13}, timeout=10)
    assert_matches(found, "/v1/statistics/care-at-home")
    weeks = found.json()["weeks"]
    assert [w["start"] for w in weeks] == [(monday + timedelta(weeks=n)).isoformat()
                                           for n in range(13)]
    assert all(w["visits"]["on_time"] > 0 and w["people_receiving_care"] > 0 for w in weeks)
    for params in ({"from": (monday + timedelta(days=1)).isoformat(), "weeks": 1},
                   {"from": monday.isoformat(), "weeks": 54},
                   {"from": monday.isoformat(), "weeks": 0},
                   {"from": "not-a-date", "weeks": 1}, {"weeks": 1}):
        refused = backoffice.get(f"{base}/v1/statistics/care-at-home", params=params, timeout=5)
        assert refused.status_code == 400
        assert_matches(refused, "/v1/statistics/care-at-home")
    anonymous = requests.get(f"{base}/v1/statistics/care-at-home",
                             params={"from": monday.isoformat(), "weeks": 1}, timeout=5)
    assert anonymous.status_code == 401


CARER_REQUEST: dict[str, Any] = {
    "portal_reference": "c-1", "priority": "routine",
    "carer": {"person_id": None, "name": "Nerys Pritchard", "preferred_language": "cy"},
    "cared_for": {"person_id": None, "name": "Mrs Evans", "relationship": "neighbour",
                  "lives_with_carer": False, "gets_council_care": "no"},
    "caring": {"tasks": ["meals"], "hours_per_week": "under-20"},
    "able_and_willing": "yes", "what_matters": ["sleep"], "contact": {"by": "phone"}}


def test_every_description_in_the_contract_is_whole() -> None:
    """A description in a YAML flow mapping ends at its first comma unless quoted: the
    rest becomes a property with no schema. Every property has a schema."""
    def properties(node: Any) -> Any:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                yield from node["properties"].items()
            for value in node.values():
                yield from properties(value)
        elif isinstance(node, list):
            for value in node:
                yield from properties(value)
    assert [name for name, schema in properties(SPEC) if not isinstance(schema, dict)] == []
    hospital = SPEC["components"]["schemas"]["ChangeNew"]["properties"]["hospital"]
    assert hospital["description"] == "The hospital or ward, if given."


def test_an_attachment_that_is_not_base64_is_a_problem_not_a_crash(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    for data in ("not base64!", "ŵŷ", "aGVsbG8", ""):
        sent = backoffice.post(f"{base}/v1/people/p-1002/messages", json={
            "conversation_id": None, "subject": "A file", "body": "Hello",
            "sender_name": "Dafydd Hughes", "portal_reference": str(uuid.uuid4()),
            "attachments": [{"filename": "a.png", "content_type": "image/png", "data": data}]},
            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
        assert sent.status_code == 400, data
        assert_matches(sent, "/v1/people/{person_id}/messages", "post")


def test_a_carer_the_council_does_not_hold_is_a_problem_the_contract_lists(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    asked = backoffice.post(f"{base}/v1/carer-assessment-requests", json={
        **CARER_REQUEST, "carer": {**CARER_REQUEST["carer"], "person_id": "p-nobody"}},
        headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5)
    assert asked.status_code == 400
    assert_matches(asked, "/v1/carer-assessment-requests", "post")


def test_an_idempotency_key_belongs_to_one_operation(backoffice: requests.Session) -> None:
    """The same key on another operation is a new request there: never the other
    operation's answer."""
    base = backoffice.base  # type: ignore[attr-defined]
    key = str(uuid.uuid4())
    matched = backoffice.post(f"{base}/v1/people/match", json={
        "council_reference": "C104233", "birth_date": "1941-03-14"},
        headers={"Idempotency-Key": key}, timeout=5)
    assert matched.status_code == 200 and matched.json()["id"] == "p-1001"
    asked = backoffice.post(f"{base}/v1/carer-assessment-requests", json=CARER_REQUEST,
                            headers={"Idempotency-Key": key}, timeout=5)
    assert asked.status_code == 201 and asked.json()["id"].startswith("car-")
    assert_matches(asked, "/v1/carer-assessment-requests", "post")
    again = backoffice.post(f"{base}/v1/carer-assessment-requests", json=CARER_REQUEST,
                            headers={"Idempotency-Key": key}, timeout=5)
    assert again.json()["id"] == asked.json()["id"]
    rematched = backoffice.post(f"{base}/v1/people/match", json={
        "council_reference": "C104233", "birth_date": "1941-03-14"},
        headers={"Idempotency-Key": key}, timeout=5)
    assert rematched.json()["id"] == "p-1001"


def test_a_charging_review_is_asked_only_of_a_decided_assessment_as_the_contract_says(
        backoffice: requests.Session) -> None:
    base = backoffice.base  # type: ignore[attr-defined]
    assessment = {"answers": {
        "pension_age": True, "disability_benefit": "none", "night_care": "no",
        "weekly_income_pence": {"state_pension": 24000}, "savings_pence": 0,
        "housing_costs_pence": 0, "disability_costs_pence": 0, "care_cost_pence": None,
        "owns_home": "yes", "lives_with_partner": False},
        "estimate_pence": 0, "evidence": [], "declared": True, "told_by": "Gwen Morgan",
        "portal_reference": f"FA-{uuid.uuid4().hex[:8]}"}
    asked = backoffice.post(f"{base}/v1/people/p-1001/financial-assessments", json=assessment,
                            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=5).json()
    path = "/v1/people/{person_id}/charging-reviews"
    review = {"financial_assessment_id": asked["id"], "reasons": "My rent was left out.",
              "told_by": "Gwen Morgan", "portal_reference": f"CR-{uuid.uuid4().hex[:8]}"}

    def ask(person_id: str, body: dict[str, Any], key: str | None = None) -> requests.Response:
        return backoffice.post(f"{base}{path.format(person_id=person_id)}", json=body,
                               headers={"Idempotency-Key": key or str(uuid.uuid4())}, timeout=5)

    undecided = ask("p-1001", review)
    assert undecided.status_code == 400 and "decided" in undecided.json()["detail"]
    assert_matches(undecided, path, "post")
    backoffice.post(f"{base}/_sandbox/financial-assessments/{asked['id']}/answer", timeout=5,
                    json={"answer": "Counted", "language": "en", "weekly_charge_pence": 4000})
    not_theirs = ask("p-1002", review)
    assert not_theirs.status_code == 400 and "of this person" in not_theirs.json()["detail"]
    too_long = ask("p-1001", {**review, "reasons": "x" * 5001})
    assert too_long.status_code == 400 and "5000" in too_long.json()["detail"]
    key = str(uuid.uuid4())
    told = ask("p-1001", review, key)
    assert told.status_code == 201 and told.json()["part_of"] == asked["id"]
    assert_matches(told, path, "post")
    assert ask("p-1001", review, key).json()["id"] == told.json()["id"]
    answered = backoffice.post(f"{base}/_sandbox/charging-reviews/{told.json()['id']}/answer",
                               json={"answer": "Your rent now counts.", "language": "en",
                                     "weekly_charge_pence": 1500}, timeout=5)
    assert answered.ok
    listed = backoffice.get(f"{base}{path.format(person_id='p-1001')}", timeout=5)
    assert_matches(listed, path)
    mine = [r for r in listed.json()["charging_reviews"] if r["id"] == told.json()["id"]]
    assert len(mine) == 1 and mine[0]["outcome"] == {"weekly_charge_pence": 1500}
    assert mine[0]["reasons"] == "My rent was left out."
