"""A carer's emergency plan: written and changed by the carer, kept by the council
(the latest version, once), downloaded as a PDF, and read by the carer, the person it
is about and those that person chooses: nobody else."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.store.models import EmergencyPlan, OutboxMessage
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver, post
from tests.web.test_access import GWEN, carer_of_gwen, grant, redeem

NEW = "/support-for-carers/emergency-plans/new"
PLAN = {"carer_name": "Siân Morgan", "carer_phone": "07700 900 123",
        "contacts": "Fy mrawd Owain, 01632 960 222\nY meddyg teulu, 01632 960 333",
        "daily_needs": "Help i godi am 8, cinio am 12, a rhywun i alw cyn gwely",
        "medicines": "Tabledi'r galon bob bore, yn y cwpwrdd uwchben y tegell",
        "routines": "Mae hi'n hoffi te cyn codi, a'r radio ymlaen",
        "keys": "Mae gan y cymydog drws nesaf, Dilys, allwedd",
        "step_in": "Owain am ddiwrnod neu ddau", "other": ""}


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The emergency plans the sandbox back office keeps."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().emergency_plans
    return held


def write(client: FlaskClient, **said: Any) -> str:
    """A plan written; the address of its page."""
    written = post(client, NEW, {"person": GWEN, **PLAN, **said})
    assert written.status_code == 302, written.text
    return str(written.headers["Location"]).split("?")[0]


def kept_by_council(client: FlaskClient, page: str, council: dict[str, Any]) -> Any:
    """The plan as the council keeps it, found by the reference its page gives."""
    reference = page_of(client.get(page)).find(class_="portal-reference").get_text(strip=True)
    return next((p for p in council.values() if p["portal_reference"] == reference), None)


def text_of_pdf(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_sian_writes_a_plan_for_her_mother_in_welsh_and_the_council_keeps_the_latest(
        app: Flask, council: dict[str, Any]) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"], carer_language="cy")
    form = page_of(sian.get(NEW))
    assert form.h1.get_text(strip=True) == "Ysgrifennu cynllun argyfwng"
    assert [i["value"] for i in form.find_all("input", {"name": "person"})] == [
        GWEN, "someone-else"]
    page = write(sian)
    shown = visible_text(page_of(sian.get(page + "?saved=1")))
    assert "Cynllun argyfwng: Gwen Morgan" in shown and "Tabledi'r galon" in shown
    assert "Rydyn ni'n anfon y fersiwn hon at y cyngor" in shown
    deliver(app)
    kept = kept_by_council(sian, page, council)
    assert kept["version"] == 1 and kept["plan"]["cared_for"] == {
        "person_id": "p-1001", "name": "Gwen Morgan"}
    assert kept["plan"]["keys"] == PLAN["keys"] and kept["plan"]["other"] is None
    assert kept["plan"]["language"] == "cy"
    change = page.replace("/emergency-plans/", "/support-for-carers/emergency-plans/") \
        + "/change"
    changed = post(sian, change, {**PLAN, "step_in": "Owain, neu Dilys drws nesaf"})
    assert changed.status_code == 302
    unchanged = post(sian, change, {**PLAN, "step_in": "Owain, neu Dilys drws nesaf"})
    assert unchanged.status_code == 302  # the same again: no new version
    deliver(app)
    deliver(app)
    assert kept["version"] == 2 and kept["plan"]["step_in"] == "Owain, neu Dilys drws nesaf"
    assert "Mae'r fersiwn hon gan y cyngor" in visible_text(page_of(sian.get(page)))
    # The area says she is a carer now, and lists the plan.
    area = visible_text(page_of(sian.get("/support-for-carers")))
    assert "Cynllun argyfwng: Gwen Morgan" in area


def test_the_plan_downloads_as_a_pdf_in_the_readers_language(app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"], person_language="cy", carer_language="cy")
    page = write(sian)
    pdf = sian.get(page + "/plan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "no-store" in pdf.headers["Cache-Control"]
    text = text_of_pdf(pdf.data)
    assert "Cynllun argyfwng: Gwen Morgan" in text and "Pwy i gysylltu â nhw" in text
    assert "Tabledi'r galon bob bore" in text and "Siân Morgan" in text
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata.title == "Cynllun argyfwng: Gwen Morgan"
    # Gwen, whom it is about, downloads it too, in her own language.
    gwen.get("/language/en?next=/")
    assert "Emergency plan: Gwen Morgan" in text_of_pdf(gwen.get(page + "/plan.pdf").data)


def test_the_person_it_is_about_reads_it_and_chooses_who_else_may(app: Flask) -> None:
    gwen, sian, sians_access = carer_of_gwen(app, ["plan"])
    page = write(sian)
    plans = visible_text(page_of(gwen.get("/emergency-plans")))
    assert "Plans your carers wrote for you" in plans and "Emergency plan: Gwen Morgan" in plans
    assert "Nobody else but you, Siân Morgan and the council" in visible_text(
        page_of(gwen.get(page)))
    # Someone else Gwen lets act for her may not read it, until she chooses them.
    code, _ = grant(gwen, ["reviews"])
    nerys = app.test_client()
    sign_in(nerys, "Nerys", link=False)
    assert redeem(nerys, code).status_code == 302
    assert nerys.get(page).status_code == 404
    assert nerys.get(page + "/plan.pdf").status_code == 404
    readers = page + "/who-can-read"
    offered = [i["value"] for i in page_of(gwen.get(readers)).find_all(
        "input", {"name": "readers"})]
    assert len(offered) == 2 and sians_access in offered
    nerys_access = next(o for o in offered if o != sians_access)
    chosen = post(gwen, readers, {"readers": [nerys_access]})
    assert chosen.status_code == 302
    assert nerys.get(page).status_code == 200
    assert "Emergency plan: Gwen Morgan" in visible_text(page_of(nerys.get("/emergency-plans")))
    assert nerys.get(page + "/plan.pdf").status_code == 200
    # Her access stopped, reading stops too.
    stopped = gwen.post(f"/who-can-act-for-you/{nerys_access}/stop", data={
        "csrf_token": csrf_token(gwen, f"/who-can-act-for-you/{nerys_access}/stop")})
    assert stopped.status_code == 302
    assert nerys.get(page).status_code == 404
    assert "Emergency plan: Gwen Morgan" not in visible_text(page_of(nerys.get("/emergency-plans")))


def test_nobody_else_reads_or_changes_it(app: Flask) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["plan"])
    page = write(sian)
    change = page.replace("/emergency-plans/", "/support-for-carers/emergency-plans/") \
        + "/change"
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    for path in (page, page + "/plan.pdf", change, page + "/who-can-read"):
        assert eleri.get(path).status_code == 404, path
    assert gwen.get(change).status_code == 404  # hers to read, Siân's to change
    assert sian.get(page + "/who-can-read").headers["Location"].endswith("/link-your-record")
    anyone = app.test_client()
    assert anyone.get(page).headers["Location"].endswith("/sign-in")
    # Someone Gwen lets in cannot choose readers, or read it, for her.
    gwen_for_eleri = post(gwen, f"{page}/who-can-read", {"readers": ["not-an-access"]})
    assert gwen_for_eleri.status_code == 400


def test_a_plan_for_someone_the_portal_does_not_know_is_the_carers_alone(
        app: Flask, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    page = write(nerys, person="someone-else", name="Idris Roberts")
    assert "Idris Roberts" in visible_text(page_of(nerys.get(page)))
    deliver(app)
    kept = kept_by_council(nerys, page, council)
    assert kept["plan"]["cared_for"] == {"person_id": None, "name": "Idris Roberts"}
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get(page).status_code == 404


def test_each_section_says_what_is_wrong_in_welsh_and_keeps_what_was_typed(
        app: Flask) -> None:
    _, sian, _ = carer_of_gwen(app, ["plan"], carer_language="cy")
    wrong = post(sian, NEW, {**PLAN, "person": GWEN, "contacts": "", "step_in": "",
                             "carer_phone": "12", "carer_name": "Siân <b>bold</b>",
                             "medicines": "x" * 2001})
    assert wrong.status_code == 400
    page = page_of(wrong)
    summary = page.find(class_="govuk-error-summary").get_text()
    assert "Rhowch pwy ddylai gael eu cysylltu" in summary
    assert "Rhowch pwy arall sy'n gallu camu i mewn" in summary
    assert "Rhowch rif ffôn yn y DU" in summary
    assert page.find("textarea", {"name": "routines"}).get_text() == PLAN["routines"]
    assert "<b>bold</b>" not in wrong.text
    hidden = post(sian, NEW, {**PLAN, "person": GWEN, "keys": "Dilys\x07"})
    assert hidden.status_code == 400
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(EmergencyPlan)) == 0


def test_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, council: dict[str, Any]) -> None:
    _, sian, _ = carer_of_gwen(app, ["plan"])
    backoffice_faults.set(fail_status=503)
    page = write(sian)
    deliver(app)
    with app.extensions["portal"].store.transaction() as db:
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == "emergency-plan-send", OutboxMessage.status == "pending"))
    assert waiting == 1 and kept_by_council(sian, page, council) is None
    assert "We are sending this version to the council" in visible_text(
        page_of(sian.get(page)))
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    kept = kept_by_council(sian, page, council)
    assert kept["version"] == 1
    assert [p["portal_reference"] for p in council.values()].count(kept["portal_reference"]) == 1
