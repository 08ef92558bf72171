"""The words of every email and text message: Welsh dates after a preposition take
the soft mutation ("i ddydd Gwener", "ar ddydd Llun"), as the glossary says."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from portal import messages

FRIDAY = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")


def filled(template: messages.MessageTemplate, moment: datetime) -> str:
    language = "cy" if template.language == "cy" else "en"
    values = {"when": messages.when(moment, language),
              "when_mutated": messages.when(moment, language, after_preposition=True)}
    text = (template.subject or "") + "\n" + template.body
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(1)), text)


def test_a_day_after_a_preposition_is_mutated_in_welsh_and_english_is_unchanged() -> None:
    assert messages.when(FRIDAY, "cy") == "dydd Gwener 4 Rhagfyr 2026 am 10am"
    assert messages.when(FRIDAY, "cy", after_preposition=True) == \
        "ddydd Gwener 4 Rhagfyr 2026 am 10am"
    assert messages.when(FRIDAY, "en", after_preposition=True) == \
        "Friday 4 December 2026 at 10am"


@pytest.mark.parametrize("template", [t for t in messages.TEMPLATES if t.language == "cy"],
                         ids=lambda t: t.name)
def test_no_welsh_message_puts_a_bare_dydd_after_a_preposition(
        template: messages.MessageTemplate) -> None:
    text = filled(template, FRIDAY)
    assert not re.search(r"\b(i|ar|o|tan) dydd\b", text), text


def test_the_review_moved_and_cancelled_messages_read_as_welsh_does() -> None:
    moved = filled(messages.BY_NAME["review-moved-email-cy"], FRIDAY)
    assert "Adolygiad wedi'i symud i ddydd Gwener 4 Rhagfyr 2026 am 10am" in moved
    cancelled = filled(messages.BY_NAME["review-cancelled-sms-cy"], FRIDAY)
    assert "ar ddydd Gwener 4 Rhagfyr 2026 am 10am wedi'i ganslo" in cancelled


@pytest.mark.parametrize(("utc", "en", "cy"), [
    (datetime(2026, 12, 4, 9, 0, tzinfo=UTC), "9am", "9am"),
    (datetime(2026, 12, 4, 17, 30, tzinfo=UTC), "5:30pm", "5:30pm"),
    (datetime(2026, 12, 4, 12, 0, tzinfo=UTC), "midday", "hanner dydd"),
    (datetime(2026, 12, 4, 0, 0, tzinfo=UTC), "midnight", "hanner nos"),
    (datetime(2026, 12, 4, 0, 18, tzinfo=UTC), "12:18am", "12:18am"),
    (datetime(2026, 12, 4, 12, 5, tzinfo=UTC), "12:05pm", "12:05pm"),
    # In summer, Wales is an hour ahead of UTC.
    (datetime(2026, 7, 1, 11, 0, tzinfo=UTC), "midday", "hanner dydd"),
])
def test_times_of_day_are_written_as_the_style_guides_write_them(
        utc: datetime, en: str, cy: str) -> None:
    assert messages.time_of_day(utc, "en") == en
    assert messages.time_of_day(utc, "cy") == cy
