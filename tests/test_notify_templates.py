"""Making the Notify templates and NOTIFY_TEMPLATE_IDS: every template listed with
its text, a skeleton to fill, and a check that the portal's configuration shares."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from portal import config
from portal.messages import TEMPLATES
from portal.notify_templates import FILL_IN, main


def test_every_template_is_listed_with_its_type_subject_and_text(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    listed = capsys.readouterr().out
    for template in TEMPLATES:
        assert f"Name: {template.name}\nType: {template.channel}\n" in listed
        assert template.body in listed
        if template.subject:
            assert f"Subject: {template.subject}" in listed


def test_a_filled_skeleton_passes_the_check_and_gives_the_setting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skeleton"]) == 0
    skeleton = json.loads(capsys.readouterr().out)
    assert set(skeleton) == {t.name for t in TEMPLATES}
    assert set(skeleton.values()) == {FILL_IN}
    unfilled = tmp_path / "ids.json"
    unfilled.write_text(json.dumps(skeleton))
    assert main(["check", str(unfilled)]) == 1
    assert "review-booked-sms-cy: \"the template's id from Notify\" is not a Notify " \
        "template id" in capsys.readouterr().err

    filled = {name: str(uuid.uuid4()) for name in skeleton}
    unfilled.write_text(json.dumps(filled))
    assert main(["check", str(unfilled)]) == 0
    assert json.loads(capsys.readouterr().out) == filled


def test_the_portal_will_not_start_with_a_template_missing_or_unknown(
        monkeypatch: Any) -> None:
    ids = {t.name: str(uuid.uuid4()) for t in TEMPLATES}
    del ids["review-moved-email-cy"]
    ids["review-lost-email-cy"] = str(uuid.uuid4())
    monkeypatch.setenv("PORTAL_MODE", "embedded")
    monkeypatch.setenv("NOTIFY_TEMPLATE_IDS", json.dumps(ids))
    with pytest.raises(RuntimeError) as refused:
        config.load()
    assert "review-moved-email-cy: missing" in str(refused.value)
    assert "review-lost-email-cy: not a template of the portal's" in str(refused.value)
    monkeypatch.setenv("NOTIFY_TEMPLATE_IDS", "{not json")
    with pytest.raises(RuntimeError, match="not JSON"):
        config.load()
