"""What will I pay: the estimate's pages for anyone, signed in or not, in both
languages; every answer riding along in the form and kept nowhere else."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.store import models
from tests.conftest import page_of, sign_in, visible_text

QUESTIONS = "/what-will-i-pay/questions"
# A pensioner on Pension Credit with Attendance Allowance at the higher rate, no care
# at night: the higher rate less the lower (£114.60 - £76.70) is not counted.
PENSIONER = {
    "age": {"pension_age": "yes"},
    "benefits": {"disability_benefit": "attendance-allowance-higher"},
    "income": {"state_pension": "180.00", "pension_credit": "£144.05"},
    "savings": {"savings": "3,000"},
    "costs": {"disability_costs": "10"},
    "care": {"care_cost": "", "night_care": "no"},
}


def hidden_fields(page: Any) -> dict[str, str]:
    """What a page's form sends: its hidden fields (the answers riding along)."""
    form = page.find("form", id="estimate")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def answer(client: FlaskClient, page: Any, answers: dict[str, str], go: str = "on") -> Any:
    """Send a question page as a person does: what rides along, and these answers."""
    return client.post(QUESTIONS, data={**hidden_fields(page), **answers, "go": go})


def walk(client: FlaskClient, pages: dict[str, dict[str, str]]) -> Any:
    """Answer each page in turn; the last response (the estimate, if all is well)."""
    response = client.get(QUESTIONS)
    for name, answers in pages.items():
        page = page_of(response)
        assert hidden_fields(page)["page"] == name
        response = answer(client, page, answers)
        assert response.status_code == 200, visible_text(page_of(response))
    return response


def rows(page: Any) -> dict[str, str]:
    return {" ".join(r.th.get_text(" ", strip=True).split()): r.td.get_text(strip=True)
            for r in page.select("table.govuk-table tbody tr")}


def test_the_start_page_says_what_the_law_says_and_needs_no_sign_in(client: FlaskClient) -> None:
    page = page_of(client.get("/what-will-i-pay"))
    text = visible_text(page)
    assert "Nobody in Wales pays more than £100.00 a week" in text
    assert "If you have £24,000.00 or less in savings" in text
    assert page.select_one("a.govuk-button--start")["href"] == QUESTIONS


def test_a_pensioner_on_pension_credit_with_attendance_allowance(client: FlaskClient) -> None:
    page = page_of(walk(client, PENSIONER))
    assert page.h1.get_text(strip=True) == "Your estimate"
    assert "You would pay about £69.45 a week towards your care." in visible_text(page)
    steps = rows(page)
    assert steps["Your income that counts Attendance Allowance, higher rate: £114.60, of which "
                 "£76.70 counts State Pension: £180.00 Pension Credit: £144.05"] == "£400.75"
    assert steps["Less the minimum income the law leaves you £238.00, your basic "
                 "entitlement, plus 35%"] == "−£321.30"
    assert steps["Less your extra costs of illness or disability"] == "−£10.00"
    assert steps["What you can afford"] == "£69.45"
    sources = page.find("details").get_text(" ", strip=True)
    assert "Charging Regulations, reg. 7(1)" in sources
    assert "£238.00, from 6 April 2026" in sources


def test_the_same_estimate_in_welsh_with_welsh_sources(client: FlaskClient) -> None:
    client.get("/language/cy")
    page = page_of(walk(client, PENSIONER))
    assert page.html["lang"] == "cy"
    text = visible_text(page)
    assert "£69.45" in text
    assert "Rheoliadau Codi Ffioedd, rheoliad 7(1)" in page.find("details").get_text()
    assert "Charging Regulations" not in text


def test_care_at_night_counts_the_whole_higher_rate(client: FlaskClient) -> None:
    page = page_of(walk(client, {**PENSIONER, "care": {"night_care": "yes"}}))
    assert rows(page)["What you can afford"] == "£107.35"
    # £107.35 is more than anyone pays: the most anyone pays is the charge.
    assert "You would pay about £100.00 a week" in visible_text(page)


def test_a_charge_is_never_more_than_the_care_costs(client: FlaskClient) -> None:
    page = page_of(walk(client, {**PENSIONER, "care": {"care_cost": "45.50",
                                                       "night_care": "no"}}))
    assert "You would pay about £45.50 a week" in visible_text(page)


def test_savings_over_the_limit_pay_the_full_cost_up_to_the_maximum(client: FlaskClient) -> None:
    at_limit = page_of(walk(client, {**PENSIONER, "savings": {"savings": "24000.00"}}))
    assert "£69.45" in visible_text(at_limit)
    over = page_of(walk(client, {**PENSIONER, "savings": {"savings": "24000.01"},
                                 "care": {"care_cost": "85", "night_care": "no"}}))
    text = visible_text(over)
    assert "You would pay about £85.00 a week" in text
    assert "more than £24,000.00 in savings" in text


def test_nobody_below_the_minimum_income_pays(client: FlaskClient) -> None:
    page = page_of(walk(client, {**PENSIONER, "benefits": {"disability_benefit": "none"},
                                 "income": {"state_pension": "238.00"}}))
    assert "You would probably not pay anything towards your care." in visible_text(page)


def test_mistakes_are_shown_in_welsh_and_what_was_typed_stays(client: FlaskClient) -> None:
    client.get("/language/cy")
    page = page_of(walk(client, {"age": {"pension_age": "no"},
                                 "benefits": {"disability_benefit": "pip-standard"}}))
    response = answer(client, page, {"state_pension": "lots", "earnings": "-5",
                                     "other_income": "1e9"})
    assert response.status_code == 400
    page = page_of(response)
    summary = page.find(class_="govuk-error-summary")
    assert summary.find("h2").get_text(strip=True) == "Mae problem wedi codi"
    links = [a["href"] for a in summary.find_all("a")]
    assert links == ["#state_pension", "#earnings", "#other_income"]
    assert page.find("input", id="state_pension")["value"] == "lots"
    # The earlier pages' answers still ride along.
    assert hidden_fields(page)["disability_benefit"] == "pip-standard"


def test_a_question_not_answered_says_so(client: FlaskClient) -> None:
    page = page_of(client.get(QUESTIONS))
    response = answer(client, page, {})
    assert response.status_code == 400
    assert "Select yes if you have reached State Pension age" in visible_text(page_of(response))


def test_back_and_the_language_button_lose_nothing(client: FlaskClient) -> None:
    page = page_of(walk(client, {"age": {"pension_age": "yes"},
                                 "benefits": {"disability_benefit": "none"}}))
    # Typed on the income page, then back: the income rides along, not lost.
    back = page_of(answer(client, page, {"state_pension": "201.50"}, go="back"))
    assert back.find("input", {"name": "disability_benefit", "checked": True})["value"] == "none"
    assert hidden_fields(back)["state_pension"] == "201.50"
    welsh = page_of(client.post(QUESTIONS, data={**hidden_fields(back), "language": "cy"}))
    assert welsh.html["lang"] == "cy"
    assert hidden_fields(welsh)["page"] == "benefits"
    assert hidden_fields(welsh)["state_pension"] == "201.50"
    button = welsh.find("button", attrs={"name": "language"})
    assert button["form"] == "estimate" and button.get_text(strip=True) == "English"


def test_the_estimate_can_be_read_in_the_other_language_and_changed(client: FlaskClient) -> None:
    page = page_of(walk(client, PENSIONER))
    welsh = page_of(client.post(QUESTIONS, data={**hidden_fields(page), "language": "cy"}))
    assert welsh.html["lang"] == "cy" and "£69.45" in visible_text(welsh)
    again = page_of(client.post(QUESTIONS, data={**hidden_fields(welsh), "go": "change"}))
    assert hidden_fields(again)["page"] == "age"
    assert again.find("input", {"name": "pension_age", "checked": True})["value"] == "yes"


def test_answers_changed_on_the_way_are_checked_again(client: FlaskClient) -> None:
    """An answer riding along is sent by the browser like any other: one that was
    changed on the way is asked again on its own page, not believed."""
    page = page_of(walk(client, {key: PENSIONER[key] for key in list(PENSIONER)[:5]}))
    sent = {**hidden_fields(page), "pension_age": "sometimes", "go": "on",
            **PENSIONER["costs"]}
    response = client.post(QUESTIONS, data=sent)
    assert response.status_code == 400
    page = page_of(response)
    assert hidden_fields(page)["page"] == "age"
    assert [a["href"] for a in page.select(".govuk-error-summary a")] == ["#pension_age"]


@pytest.mark.parametrize("where", ["../../etc/passwd", "result", "", "care\x00"])
def test_a_page_that_is_not_one_is_the_first_or_the_estimate_checked(
        client: FlaskClient, where: str) -> None:
    response = client.post(QUESTIONS, data={"page": where, "go": "on"})
    assert response.status_code == 400
    assert hidden_fields(page_of(response))["page"] == "age"


def test_hidden_characters_are_refused(client: FlaskClient) -> None:
    page = page_of(walk(client, {"age": {"pension_age": "yes"},
                                 "benefits": {"disability_benefit": "none"}}))
    response = answer(client, page, {"state_pension": "12\x00.00"})
    assert response.status_code == 400
    assert page_of(response).find("input", id="state_pension")["value"] == "12.00"


def test_nothing_typed_is_kept_or_logged(app: Flask, client: FlaskClient,
                                         caplog: pytest.LogCaptureFixture) -> None:
    store = app.extensions["portal"].store

    def counted() -> dict[str, int]:
        with store.engine.connect() as connection:
            return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in models.Base.metadata.sorted_tables}

    before = counted()
    caplog.set_level(logging.DEBUG)
    client.get("/what-will-i-pay")
    response = walk(client, PENSIONER)
    assert counted() == before
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert "144.05" not in caplog.text and "3,000" not in caplog.text


def test_signed_in_people_can_work_it_out_too(client: FlaskClient) -> None:
    sign_in(client, "Gwen")
    page = page_of(walk(client, PENSIONER))
    assert "£69.45" in visible_text(page)
