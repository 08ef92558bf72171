"""Welsh is complete, current, and grammatical in its plurals; no template
text escapes translation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from flask import Flask
from flask_babel import force_locale, ngettext

from portal.config import PROJECT_ROOT

PO = PROJECT_ROOT / "translations/cy/LC_MESSAGES/messages.po"


def catalogue():  # type: ignore[no-untyped-def]
    with PO.open("rb") as f:
        return read_po(f)


def test_every_welsh_entry_is_translated_and_none_is_fuzzy() -> None:
    problems = []
    for message in catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
        if isinstance(message.id, tuple) and len(strings) != 6:
            problems.append(message.id)
    assert problems == []


def test_the_catalogue_is_not_stale(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "_lp:1c,2",
                    "-k", "lazy_pgettext:1c,2", "--no-location",
                    "--omit-header", "-o", str(fresh), "."], cwd=PROJECT_ROOT, check=True,
                   capture_output=True)
    with fresh.open("rb") as f:
        wanted = {(m.context, m.id) for m in read_po(f) if m.id}
    have = {(m.context, m.id) for m in catalogue() if m.id}
    assert wanted - have == set(), "run `make translations` and translate the new strings"
    assert have - wanted == set(), "run `make translations` to drop strings no longer used"


def test_one_kind_of_apostrophe_is_used_in_both_languages() -> None:
    """The straight apostrophe, as the glossary writes Welsh ("sy'n", "i'r"), in every
    page string and every email and text message."""
    from portal import messages

    texts = [t for m in catalogue() if m.id
             for t in (m.id if isinstance(m.id, tuple) else (m.id,))
             + (m.string if isinstance(m.string, tuple) else (m.string,))]
    texts += [t.body + (t.subject or "") for t in messages.TEMPLATES]
    assert [t for t in texts if "\u2019" in t or "\u2018" in t] == []


def test_the_welsh_header_declares_six_plural_forms() -> None:
    assert "nplurals=6;" in PO.read_text()


@pytest.mark.parametrize("count, expected", [
    (0, "0 canlyniad"), (1, "1 canlyniad"), (2, "2 ganlyniad"), (3, "3 chanlyniad"),
    (6, "6 chanlyniad"), (7, "7 canlyniad"),
])
def test_welsh_plurals_take_the_right_form(app: Flask, count: int, expected: str) -> None:
    with app.test_request_context(), force_locale("cy"):
        assert ngettext("%(num)d outcome", "%(num)d outcomes", count) == expected


def _bare_text(template: Path) -> list[str]:
    """Words a template shows that are not produced by a Jinja expression."""
    env = Flask(__name__).jinja_env
    env.add_extension("jinja2.ext.do")
    env.add_extension("jinja2.ext.i18n")
    html = []
    for _line, token, value in env.lex(template.read_text()):
        if token == "data":
            html.append(value)
        elif token in ("variable_begin", "block_begin"):
            html.append("\u00a7")  # a placeholder, so tags split by Jinja stay whole
    text = BeautifulSoup("".join(html), "html.parser").get_text(" ")
    return re.findall(r"[A-Za-z\u00c0-\u017f']{2,}", text)


@pytest.mark.parametrize("template", sorted(
    p.relative_to(PROJECT_ROOT / "templates").as_posix()
    for p in (PROJECT_ROOT / "templates").rglob("*.html")))
def test_no_visible_template_text_bypasses_translation(template: str) -> None:
    assert _bare_text(PROJECT_ROOT / "templates" / template) == []


# The service's own names for its pages, which a Welsh sentence may point to. After a
# preposition that softly mutates, they mutate too ("o dan Bobl ...", "ar Gymorth ...").
PAGE_NAMES_CY = ("Cymorth i chi fel gofalwr", "Pobl rydych chi'n eu helpu", "Tîm gofal",
                 "Eich gofal", "Gwybodaeth", "Pwy all weithredu ar eich rhan",
                 "Pwy sydd wedi edrych ar eich cofnod", "Negeseuon", "Taliadau")
SOFT_MUTATING = ("am", "ar", "at", "gan", "heb", "i", "o", "dan", "dros", "drwy", "trwy",
                 "wrth", "hyd", "o dan")


def test_a_page_named_after_a_preposition_is_mutated() -> None:
    wrong = [(phrase, message.id) for message in catalogue() if message.id
             for text in (message.string if isinstance(message.string, tuple)
                          else (message.string,))
             for name in PAGE_NAMES_CY for preposition in SOFT_MUTATING
             if (phrase := f" {preposition} {name}") in f" {text}"]
    assert wrong == []
