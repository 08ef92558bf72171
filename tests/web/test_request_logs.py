"""Each request gets an id, sent back to the browser and on to the back office, and
one log line when it ends; in production the lines are JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import logs, sandboxes


def test_a_page_s_back_office_reads_carry_its_request_id(
        signed_in_as: Callable[..., FlaskClient], running_sandboxes: sandboxes.Running) -> None:
    seen = running_sandboxes.back_office().request_ids
    gwen = signed_in_as("Gwen")
    seen.clear()
    answer = gwen.get("/your-care")  # the person, the plan and the visits, read at once
    assert answer.status_code == 200
    assert len(seen) >= 3
    assert set(seen) == {answer.headers["X-Request-Id"]}


def test_a_sensible_id_from_the_proxy_is_kept_and_anything_else_replaced(app: Flask) -> None:
    client = app.test_client()
    for hostile in ("<script>", "x" * 200, "a\u202eb", "short", "Root=1-6789123"):
        answer = client.get("/help", headers={"X-Request-Id": hostile})
        assert answer.headers["X-Request-Id"] != hostile
        assert len(answer.headers["X-Request-Id"]) == 32
    echoed = client.get("/help", headers={"X-Request-Id": "4b6f2a0e-proxy-7781"})
    assert echoed.headers["X-Request-Id"] == "4b6f2a0e-proxy-7781"


def test_one_json_line_a_request_with_method_path_status_and_time_but_no_query(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        answer = app.test_client().get("/help?next=/secret-address")
    [record] = [r for r in caplog.records if r.name == "portal.requests"]
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["method"] == "GET" and line["path"] == "/help" and line["status"] == 200
    assert line["request_id"] == answer.headers["X-Request-Id"]
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "info" and line["logger"] == "portal.requests"
    assert "secret-address" not in json.dumps(line)
