"""Anyone, signed in or not, reads how care at home is going, in Welsh and in English,
on a phone and on a desk: charts with their words, for every council together or one
council chosen, each chart's figures in a table on a page of its own, open data to
download. axe-core on both pages at both widths."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE, assert_accessible, open_page

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"link": "Gweld sut mae gofal yn y cartref yn mynd",
           "title": "Sut mae gofal yn y cartref yn mynd", "visits": "Ymweliadau gofal cartref",
           "held_back": "llai na 5", "on_time": "Ar amser", "updated": "Diweddarwyd ddiwethaf",
           "table": "Gweld y ffigurau hyn mewn tabl", "back": "Yn ôl",
           "area": "Dangos y ffigurau ar gyfer", "show": "Dangos y ffigurau hyn",
           "wales": "Cymru: pob cyngor yn y gwasanaeth hwn",
           "ceredigion": "Cyngor Sir Ceredigion"},
    "en": {"link": "See how care at home is going", "title": "How care at home is going",
           "visits": "Home care visits", "held_back": "fewer than 5", "on_time": "On time",
           "updated": "Last updated", "table": "See these figures in a table", "back": "Back",
           "area": "Show the figures for", "show": "Show these figures",
           "wales": "Wales: every council in this service",
           "ceredigion": "Ceredigion County Council"},
}

CUT_OFF = """() => [...document.querySelectorAll("svg text")].filter(text => {
    const word = text.getBoundingClientRect(), chart = text.closest("svg").getBoundingClientRect();
    return word.left < chart.left || word.right > chart.right;
}).map(text => text.textContent)"""


@pytest.mark.parametrize("language", ["cy", "en"])
def test_anyone_reads_the_figures_and_downloads_them(browser: Browser, portal_url: str,
                                                     language: str) -> None:
    w = WORDS[language]
    page = open_page(browser)
    page.goto(f"{portal_url}/language/{language}?next=/")
    page.get_by_role("link", name=w["link"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["title"])
    visits = page.locator("section[aria-labelledby=home-care-visits]")
    # The chart is an image named by its title, described by its summary.
    chart = visits.get_by_role("img", name=w["visits"])
    expect(chart).to_be_visible()
    expect(visits.locator(".portal-chart__legend")).to_contain_text(w["on_time"])
    expect(visits).to_contain_text(w["updated"])
    expect(page.locator("main")).to_contain_text(w["held_back"])
    assert not page.csp_violations  # type: ignore[attr-defined]
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        # The chart fits the screen.
        box = chart.bounding_box()
        assert box is not None and box["width"] <= width
        # Every word of every chart is inside its chart, none cut off at either side.
        assert page.evaluate(CUT_OFF) == [], f"cut off at {width} px"
    with page.expect_download() as arrived:
        visits.locator("a[href$=\"home-care-visits.csv\"]").click()
    with open(arrived.value.path(), encoding="utf-8") as saved:
        rows = list(csv.DictReader(io.StringIO(saved.read())))
    # Every council embedded mode serves, and all of them together, 12 weeks each.
    assert [row["area_code"] for row in rows[::12]] == [
        "W92000004", "W06000002", "W06000008", "W06000024"]
    assert len(rows) == 48 and all(row["week_complete"] == "true" for row in rows)

    # All together first; then one council, chosen with the page's own form.
    chooser = page.get_by_label(w["area"])
    assert chooser.evaluate("select => select.selectedOptions[0].text") == w["wales"]
    chooser.select_option(label=w["ceredigion"])
    page.get_by_role("button", name=w["show"]).click()
    expect(page).to_have_url(f"{portal_url}/how-care-at-home-is-going?area=W06000008")
    expect(page.locator(".govuk-caption-xl")).to_have_text(w["ceredigion"])
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    visits = page.locator("section[aria-labelledby=home-care-visits]")

    visits.get_by_role("link", name=w["table"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(w["visits"])
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(12)
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        # A wide table scrolls in its own box, not the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator(".govuk-caption-l")).to_contain_text(w["ceredigion"])
    page.get_by_role("link", name=w["back"]).click()
    expect(page).to_have_url(
        f"{portal_url}/how-care-at-home-is-going?area=W06000008#home-care-visits")
    page.context.close()
