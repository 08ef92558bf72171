"""How care at home is going: the public data page, and the same figures as open
data (CSV, JSON and CSV on the Web metadata, under the Open Government Licence) at
stable addresses that make a small JSON API, described in its own OpenAPI document
(portal/contracts/public-data-api-v1.yaml).

No sign-in and nobody's record: every figure comes from `published.current`, already
suppressed and rounded, worked out by the worker (never in a reader's request). The
data may be kept by browsers and proxies for a minute (the figures change no faster)
and read by scripts on any site."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from functools import cache, wraps
from importlib import resources
from typing import Any

import yaml
from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import force_locale, format_date, format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.councils import WALES as WALES_COUNCILS
from portal.councils import by_place
from portal.dependencies import deps
from portal.services import figures, published
from portal.services.disclosure import HELD_BACK
from portal.web.access import public
from portal.web.figures import charts, words
from portal.web.kept import Kept
from portal.web.limits import limiter
from portal.web.templating import current_language

bp = Blueprint("figures", __name__)
NAMES = ", ".join(repr(d.name) for d in figures.DATASETS)
LICENCE = {"name": "Open Government Licence v3.0",
           "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
KEEP_SECONDS = 60
NOT_SHOWN_SHORT = "–"  # a figure not shown, where room is short (the page says so)
LANGUAGES = ("cy", "en")

# Each dataset's chart: the columns drawn, stacked in one bar or side by side, and
# the column that names a row (weekly datasets: the week).
CHARTS: dict[str, tuple[tuple[str, ...], bool, tuple[str, ...]]] = {
    "care-at-home": (("people_receiving_care", "direct_payments"), False, ()),
    "home-care-visits": (("on_time", "late", "missed", "cancelled"), True, ()),
    "visits-today": (("on_time", "late", "missed", "cancelled"), True, ("day",)),
    "hours-of-care": (("hours_planned", "hours_delivered"), False, ()),
    "waiting-for-care": (("people_waiting",), False, ()),
    "waiting-now": (("people_waiting",), False, ("waited",)),
    "carers-assessments": (("asked_for", "done"), False, ()),
    "assessment-requests": (("asked_online", "first_contacted"), False, ()),
    "financial-assessments": (("asked_online", "decided"), False, ()),
    "reviews-online": (("asked_for", "confirmed"), False, ()),
    "payments-online": (("payments", "succeeded"), False, ()),
    "messages-sent": (("email", "text", "letter"), True, ()),
    "messages-by-language": (("sent", "delivered"), False, ("channel", "language")),
    "welsh-language": (("people", "chose_welsh"), False, ()),
    "acting-for-someone": (("given_in_portal", "lasting_power_of_attorney", "deputyship",
                            "advocacy", "best_interests"), True, ()),
}
# The page's sections, each a few datasets under one heading (and a note on them).
SECTIONS = (
    (_l("Care at home"), None, ("care-at-home", "visits-today", "home-care-visits",
                                "hours-of-care")),
    (_l("Waiting for care"), None, ("waiting-for-care", "waiting-now")),
    (_l("Asking for care and support"), None, ("assessment-requests",)),
    (_l("Unpaid carers"), None, ("carers-assessments",)),
    (_l("Paying for care"), None, ("financial-assessments",)),
    (_l("Using this service"),
     _l("These figures are about this service itself, for every council it serves."),
     ("reviews-online", "payments-online", "messages-sent", "messages-by-language",
      "welsh-language", "acting-for-someone")),
)


def _figures() -> published.Figures:
    return published.current(deps().store)


def _area(found: published.Figures) -> figures.Area | None:
    """The area asked for (?area=, its GSS code) if the figures hold it, else the first
    they hold: every council served together, or the one council."""
    areas = found.areas
    asked = request.args.get("area", "")
    return next((a for a in areas if a.code == asked), areas[0] if areas else None)


@bp.get("/how-care-at-home-is-going")
@public
def page() -> str:
    found = _figures()
    area = _area(found)
    contents = [(heading, [(name, words.DATASETS[name][0]) for name in names])
                for heading, _, names in SECTIONS]
    return render_template("figures/page.html", contents=contents, licence=LICENCE,
                           area=area, areas=sorted(found.areas, key=_in_order),
                           sections_html=_sections_html(found, area))


def _in_order(area: figures.Area) -> tuple[bool, str]:
    """Every council together first, then each council by its place."""
    return area != figures.WALES, by_place(area.name(current_language()))


@bp.get(f"/how-care-at-home-is-going/<any({NAMES}):name>")
@public
def table(name: str) -> str:
    found = _figures()
    area = _area(found)
    dataset = found.datasets.get(name)
    rows = None if dataset is None else _rows(dataset, area)
    return render_template("figures/table.html", area=area, several=len(found.areas) > 1,
                           about_area=figures.BY_NAME[name].source == figures.COUNCIL,
                           dataset=_missing(name, found) if dataset is None or not rows
                           else _table(dataset, rows))


def _rows(dataset: published.Published, area: figures.Area | None) -> list[dict[str, Any]]:
    """The dataset's rows the page shows: a council dataset's for the area chosen."""
    return dataset.rows if area is None else dataset.rows_in(area.code)


# Each process keeps its rendering of the latest figures in each language, for each
# area: the figures change at most once a minute, and drawing them is most of the
# page's work.
_rendered: Kept[Markup] = Kept(most=2 * len(LANGUAGES) * (1 + len(WALES_COUNCILS)))


def _sections_html(found: published.Figures, area: figures.Area | None) -> Markup:
    def render() -> Markup:
        sections = [(heading, note, [
            _shown(found.datasets[name], rows) if name in found.datasets
            and (rows := _rows(found.datasets[name], area)) else _missing(name, found)
            for name in names]) for heading, note, names in SECTIONS]
        # Rendered by Jinja with autoescaping: it is HTML already escaped.
        chosen = area.code if area and len(found.areas) > 1 else None
        return Markup(render_template("figures/_sections.html", sections=sections,  # noqa: S704
                                      chosen=chosen))

    return _rendered.get((current_language(), found.etag, area and area.code), render)


def _missing(name: str, found: published.Figures) -> dict[str, Any]:
    """A dataset with no figures: none worked out yet (a new service, in its first
    minute), or the council's system not answering since the service began."""
    title, description = words.DATASETS[name]
    return {"name": name, "title": title, "description": description, "missing": True,
            "not_yet": found.computed_at is None}


def _shown(dataset: published.Published, shown: list[dict[str, Any]]) -> dict[str, Any]:
    """A dataset as the data page shows it (these of its rows): words, and its chart."""
    title, description = words.DATASETS[dataset.name]
    drawn, stacked, keys = CHARTS[dataset.name]
    rows = [(_row_label(row, keys, short=True), row) for row in shown]
    series = [charts.Series(column, str(words.column(dataset.name, column)[0]),
                            charts.STYLES[index]) for index, column in enumerate(drawn)]
    chart = charts.draw(
        f"chart-{dataset.name}",
        gettext("Chart: %(title)s", title=title) if keys
        else gettext("%(title)s, week by week", title=title),
        _summary(shown, series, keys), rows, series, stacked, said, labels_above=bool(keys))
    return {"name": dataset.name, "title": title, "description": description,
            "updated": dataset.updated, "chart": chart}


def _table(dataset: published.Published, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A dataset as its own page shows it (these of its rows): words, and its figures
    in a table."""
    title, description = words.DATASETS[dataset.name]
    keys = CHARTS[dataset.name][2]
    # A row a week is named by its week; a row a kind by its kind (its week, if it has
    # one, is the same for every row, and said in the words above the table).
    columns = [(name, words.column(dataset.name, name)[0])
               for name in figures.columns(dataset.name)
               if name not in ("week_end", "week_complete", *figures.AREA_COLUMNS)
               and not (keys and name == "week_start")]
    table = [[_row_label(row, keys) if name in ("week_start", "day") else said(row[name], name)
              for name, _ in columns] for row in rows]
    return {"name": dataset.name, "title": title, "description": description,
            "updated": dataset.updated, "columns": columns, "table": table}


def _row_label(row: dict[str, Any], keys: tuple[str, ...], short: bool = False) -> str:
    """What names a row: its kind, or its day or week (shorter in a chart, to fit a
    phone)."""
    if keys:
        return ", ".join(_day(row[key], short) if key == "day" else str(words.CODES[row[key]])
                         for key in keys)
    return _day(row["week_start"], short)


def _day(value: str, short: bool) -> str:
    return format_date(datetime.fromisoformat(value), "d MMM" if short else "d MMM yyyy")


def said(value: Any, column: str = "", short: bool = False) -> str:
    """A figure as the page reads it (`short`: where room is short, as in a chart)."""
    if value == HELD_BACK:
        return HELD_BACK if short else gettext("fewer than 5")
    if value is None:
        return NOT_SHOWN_SHORT if short else gettext("not shown")
    if isinstance(value, str):
        return str(words.CODES.get(value, value))
    if column.endswith("_percent"):
        return gettext("%(number)s%%", number=format_decimal(value))
    return str(format_decimal(value))


def _summary(full: list[dict[str, Any]], series: list[charts.Series],
             keys: tuple[str, ...]) -> str:
    """What the chart of these rows shows, in a sentence or two."""
    drawn = [row[s.column] for row in full for s in series]
    if not any(isinstance(value, int | float) for value in drawn):
        return gettext("Every figure in this chart is fewer than 5.")
    if keys:
        return "; ".join(f"{_row_label(row, keys)}: " + ", ".join(
            f"{_in_sentence(s.name)} {said(row[s.column])}" if len(series) > 1
            else said(row[s.column]) for s in series) for row in full) + "."
    last = full[-1]
    text = gettext("In the last full week, starting %(date)s: %(figures)s.",
                   date=format_date(datetime.fromisoformat(last["week_start"]), "d MMMM yyyy"),
                   figures="; ".join(f"{s.name}: {said(last[s.column], s.column)}"
                                     for s in series))
    first = series[0]
    numbers = [row[first.column] for row in full if isinstance(row[first.column], int | float)]
    if numbers:
        text += " " + ngettext(
            "Over the %(num)d full week shown, the figure for %(what)s was between %(low)s "
            "and %(high)s.",
            "Over the %(num)d full weeks shown, the figure for %(what)s was between %(low)s "
            "and %(high)s.",
            len(full), what=_in_sentence(first.name), low=said(min(numbers), first.column),
            high=said(max(numbers), first.column))
    else:
        text += " " + gettext("Each week, the figure for %(what)s was fewer than 5.",
                              what=_in_sentence(first.name))
    return text


def _in_sentence(name: str) -> str:
    """A column's title inside a sentence: "Chose Welsh" becomes "chose Welsh"."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


# Open data: one address per dataset and form, the same in both languages.

def _each_dataset(suffix: str) -> Callable[[Callable[[published.Published], Response]],
                                           Callable[[str], Response]]:
    """A route for one form of every dataset (/data/v1/<name><suffix>): the view is
    given the dataset's figures, or the asker a 503 while there are none."""
    def decorate(view: Callable[[published.Published], Response]) -> Callable[[str], Response]:
        @wraps(view)
        def route(name: str) -> Response:
            dataset = _figures().datasets.get(name)
            return _unavailable() if dataset is None else view(dataset)

        bp.add_url_rule(f"/data/v1/<any({NAMES}):name>{suffix}", view_func=limiter.exempt(
            public(route)), methods=["GET"])
        return route
    return decorate


@bp.get("/data/v1/datasets.json")
@public
@limiter.exempt
def catalogue() -> Response:
    found = _figures()

    def text() -> str:
        return json.dumps({
            "title": _both(_l("How care at home is going")), "licence": LICENCE,
            "api": url_for(".openapi", _external=True), "page": url_for(".page", _external=True),
            "datasets": [_about(found.datasets[d.name]) for d in figures.DATASETS
                         if d.name in found.datasets]}, ensure_ascii=False, indent=1)

    return _open(text, "application/json", found.etag)


@_each_dataset(".json")
def dataset_json(dataset: published.Published) -> Response:
    return _open(lambda: json.dumps({**_about(dataset), "rows": dataset.rows},
                                    ensure_ascii=False, indent=1),
                 "application/json", f"{dataset.etag}-json")


@_each_dataset(".csv")
def dataset_csv(dataset: published.Published) -> Response:
    def text() -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        columns = list(figures.columns(dataset.name))
        writer.writerow(columns)
        for row in dataset.rows:
            writer.writerow([_csv_cell(row[column]) for column in columns])
        return out.getvalue()

    response = _open(text, "text/csv; charset=utf-8; header=present", f"{dataset.etag}-csv")
    response.headers["Content-Disposition"] = f'inline; filename="{dataset.name}.csv"'
    return response


@_each_dataset(".csv-metadata.json")
def dataset_csvw(dataset: published.Published) -> Response:
    return _open(lambda: json.dumps(csvw(dataset), ensure_ascii=False, indent=1),
                 "application/csvm+json", f"{dataset.etag}-csvw")


@bp.get("/data/v1/openapi.json")
@public
@limiter.exempt
def openapi() -> Response:
    text = json.dumps(_openapi_document(), ensure_ascii=False, indent=1)
    return _open(lambda: text, "application/json", published._digest(text))


@cache
def _openapi_document() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(
        resources.files("portal").joinpath("contracts/public-data-api-v1.yaml").read_text())
    return found


def csvw(dataset: published.Published) -> dict[str, Any]:
    """CSV on the Web metadata for the dataset's CSV: its columns' names, types and
    words in Welsh and English, its licence and when it was updated."""
    definition = figures.BY_NAME[dataset.name]
    title, description = words.DATASETS[dataset.name]
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": url_for(".dataset_csv", name=dataset.name, _external=True),
        "dc:title": _tagged(title), "dc:description": _tagged(description),
        "dc:license": {"@id": LICENCE["url"]},
        "dc:modified": {"@value": dataset.updated.isoformat(), "@type": "xsd:dateTime"},
        "tableSchema": {
            "null": ["", HELD_BACK],
            "columns": [{"name": name, "titles": _both(words.column(dataset.name, name)[0]),
                         "dc:description": _tagged(words.column(dataset.name, name)[1]),
                         "datatype": datatype,
                         **({"required": True} if name.startswith("week_") else {})}
                        for name, datatype in definition.columns],
            "primaryKey": _primary_key(definition),
        },
    }


def _primary_key(definition: figures.Dataset) -> str | list[str]:
    """What names a row: its week or its kind, and for a council's figures its area."""
    names = [name for name, _ in definition.columns]
    keys = ["area_code"] if "area_code" in names else []
    keys += ["week_start"] if definition.weekly else [
        name for name, datatype in definition.columns
        if datatype == figures.STRING and name not in figures.AREA_COLUMNS]
    return keys[0] if len(keys) == 1 else keys


def _about(dataset: published.Published) -> dict[str, Any]:
    title, description = words.DATASETS[dataset.name]
    return {
        "name": dataset.name, "title": _both(title), "description": _both(description),
        "source": dataset.source, "updated": dataset.updated.isoformat(), "licence": LICENCE,
        "columns": [{"name": name, "datatype": datatype,
                     "title": _both(words.column(dataset.name, name)[0]),
                     "description": _both(words.column(dataset.name, name)[1])}
                    for name, datatype in figures.BY_NAME[dataset.name].columns],
        "links": {
            "json": url_for(".dataset_json", name=dataset.name, _external=True),
            "csv": url_for(".dataset_csv", name=dataset.name, _external=True),
            "csvw": url_for(".dataset_csvw", name=dataset.name, _external=True),
            "page": url_for(".page", _external=True, _anchor=dataset.name)},
    }


def _both(text: Any) -> dict[str, str]:
    found = {}
    for language in LANGUAGES:
        with force_locale(language):
            found[language] = str(text)
    return found


def _tagged(text: Any) -> list[dict[str, str]]:
    return [{"@value": value, "@language": language} for language, value in _both(text).items()]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# Each process keeps the open data as written for each version of the figures (by
# ETag, and the address it names itself by): written once, sent to every asker. At
# most every form of two versions.
_written: Kept[str] = Kept(most=200)


def _open(make_body: Callable[[], str], mimetype: str, etag: str) -> Response:
    """Open data: kept a minute by anyone, readable from any site, answered with 304
    Not Modified when the asker already has it, and written once a version."""
    body = _written.get((etag, request.host_url), make_body)
    response = Response(body, mimetype=mimetype.split(";")[0])
    response.headers["Content-Type"] = mimetype if "charset" in mimetype else \
        f"{mimetype}; charset=utf-8"
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = KEEP_SECONDS
    response.make_conditional(request)  # 304, with no body, when the ETag matches
    return response


def _unavailable() -> Response:
    response = Response(json.dumps({"title": "These figures are not available at the moment",
                                    "status": 503}), status=503,
                        mimetype="application/problem+json")
    response.headers["Retry-After"] = str(KEEP_SECONDS)
    return response


@bp.after_request
def _open_to_every_site(response: Response) -> Response:
    if request.path.startswith("/data/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
        response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response
