"""The load balancer's health check: up when the database answers, 503 when it does
not, and never a word more than that."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import create_engine


def test_the_status_is_ok_when_the_database_answers_and_says_nothing_else(
        app: Flask) -> None:
    answer = app.test_client().get("/_status")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in answer.headers  # no session for a load balancer


def test_the_status_is_503_when_the_database_does_not_answer(app: Flask) -> None:
    store = app.extensions["portal"].store
    working = store.engine
    store.engine = create_engine("sqlite:////nonexistent/directory/portal.db")
    try:
        answer = app.test_client().get("/_status")
    finally:
        store.engine = working
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "error"}
