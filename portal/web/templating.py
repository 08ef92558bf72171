"""Templates, languages and the filters pages share. Used by the portal and by
the sandboxes that show pages (so they look and translate the same way)."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, KeysView, MutableMapping
from datetime import UTC, date, datetime
from typing import Any

from babel.support import NullTranslations
from flask import Flask, g
from flask.templating import Environment as FlaskEnvironment
from flask_babel import (
    Babel,
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    ngettext,
)
from flask_babel import gettext as _
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal import messages, resources
from portal.web import labels

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
TIMEZONE = "Europe/London"


class _Globals(ChainMap[str, Any]):
    """A template's globals (its own over the environment's), whose keys compare as a
    dict's do. Jinja compares them with the rendering template's on every import of a
    macro, twenty or so a page; a ChainMap's own keys do that one key at a time."""

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return dict.fromkeys(self).keys()


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, with template globals that are quick to compare."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return _Globals({} if d is None else d, self.globals)


def configure_templates(app: Flask, locale_from: Callable[[], str]) -> None:
    """Jinja loaders (ours first, then GOV.UK Frontend's), Babel and filters."""
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(resources.TEMPLATES),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    Babel(app, locale_selector=locale_from,
          default_translation_directories=str(resources.TRANSLATIONS),
          default_timezone=TIMEZONE)
    # Added to the environment by the i18n extension Flask-Babel installs.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _words().ugettext(s),
        ngettext=lambda s, p, n: _words().ungettext(s, p, n),
        pgettext=lambda c, s: _words().upgettext(c, s),
        npgettext=lambda c, s, p, n: _words().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters.update(
        long_date=long_date, day_and_date=day_and_date, clock=clock, moment=moment, money=money,
        html_time=html_time, file_size=file_size, iso_date=date.fromisoformat)
    app.jinja_env.globals.update(current_language=current_language, LANGUAGES=LANGUAGES)
    # Every word table in labels.py (VISIT_STATUS, REVIEW_MODES, ...), by its own name.
    app.jinja_env.globals.update(
        {name: table for name, table in vars(labels).items() if name.isupper()})


def _words() -> NullTranslations:
    """The catalogue of the language in use, for a template's words. Flask-Babel finds
    it afresh for each, and a page says a hundred; it is kept for the request, for as
    long as the language is the same (a message sent mid-request in the person's own
    language uses the other)."""
    if not g:  # outside an application's context: no catalogue to keep
        return get_translations()
    locale = get_locale()
    kept = g.get("words")
    if kept is None or kept[0] is not locale:
        kept = g.words = (locale, get_translations())
    return kept[1]


def current_language() -> str:
    return str(get_locale() or "en")


def long_date(value: date | datetime) -> str:
    """14 March 1941 / 14 Mawrth 1941."""
    return format_date(value, "d MMMM yyyy")


def day_and_date(value: date | datetime, in_sentence: bool = False,
                 after_preposition: bool = False) -> str:
    """Monday 24 November / Dydd Llun 24 Tachwedd; mid-sentence, dydd Llun 24 Tachwedd;
    after a preposition, ddydd Llun 24 Tachwedd (see messages.in_sentence)."""
    said = format_date(value, "EEEE d MMMM")
    if not (in_sentence or after_preposition):
        return said
    return messages.in_sentence(said, current_language(), after_preposition)


def clock(value: datetime) -> str:
    """The time of day in Wales, in the page's language: 9am, 6:30pm, midday."""
    return messages.time_of_day(value, current_language())


def moment(value: datetime) -> str:
    """A date and time: 24 November 2026 at 18:30."""
    return _("%(date)s at %(time)s", date=format_datetime(value, "d MMMM yyyy"),
             time=clock(value))


def html_time(value: datetime) -> str:
    """A <time datetime> value, as HTML allows it: to the second, in UTC."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def money(pence: int) -> str:
    """£418.50."""
    return format_currency(pence / 100, "GBP")


def file_size(size: int) -> str:
    """A file's size as people read it: 512 bytes, 24 KB, 1.2 MB."""
    if size < 1024:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / 1024 / 1024, 1))} MB"
