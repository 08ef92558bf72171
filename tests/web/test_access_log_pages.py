"""The access log a page at a time: the Design System's pagination with the first
and last pages, those either side and ellipses, each reached by its cursor."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.clock import utcnow
from portal.services import audit
from portal.store.models import Account
from tests.conftest import page_of


def test_the_log_pages_with_ellipses_and_each_link_leads_to_its_page(
        app: Flask, signed_in_as: Callable[..., FlaskClient]) -> None:
    gwen = signed_in_as("Gwen")
    store = app.extensions["portal"].store
    with store.transaction() as db:  # any account will do as the one who looked
        actor = db.scalar(select(Account.id))
    start = utcnow() - timedelta(days=30)
    for n in range(20 * 7 + 3):  # 8 pages
        audit.record(store, "W06000002:p-1001", actor, "Siân Morgan", "attorney", f"care.plan-{n}",
                     start + timedelta(minutes=2 * n))
    first = page_of(gwen.get("/who-has-looked-at-your-record"))
    numbers = [li.get_text(strip=True) for li in first.select(".govuk-pagination__item")]
    assert numbers == ["1", "2", "⋯", "8"]
    assert "143 times in all" in first.get_text()
    following = first.select_one(".govuk-pagination__next a")["href"]
    assert re.fullmatch(r"/who-has-looked-at-your-record\?page=2&before=\d+", following)
    second = page_of(gwen.get(following))
    assert [li.get_text(strip=True) for li in second.select(".govuk-pagination__item")] == \
        ["1", "2", "3", "⋯", "8"]
    shown = [t["datetime"] for t in second.select(".portal-access-log time")]
    typed = page_of(gwen.get("/who-has-looked-at-your-record?page=2"))
    assert [t["datetime"] for t in typed.select(".portal-access-log time")] == shown
    back = page_of(gwen.get(second.select_one(".govuk-pagination__prev a")["href"]))
    assert back.select(".portal-access-log time") == first.select(".portal-access-log time")
    last = page_of(gwen.get(second.select(".govuk-pagination__item a")[-1]["href"]))
    assert len(last.select(".portal-access-log .govuk-summary-list__row")) == 3
    assert last.select_one(".govuk-pagination__next") is None
    for hostile in ("?before=-1", "?after=9" * 30, "?before=99999999999999999999999",
                    "?page=8&after=abc"):
        assert gwen.get("/who-has-looked-at-your-record" + hostile).status_code == 200
