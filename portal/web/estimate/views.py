"""What will I pay: an estimate of the weekly charge for care and support at home,
for anyone, signed in or not. The answers are never kept: each page sends every
answer so far (the page's own as fields, the rest hidden), and the last page's
answers come back as the estimate. Nothing is written to the database or the
logs, the pages are never cached, and no session is started to ask."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request, session
from flask_babel import refresh
from werkzeug.wrappers import Response

from portal import charging_rules
from portal.clock import today
from portal.dependencies import deps
from portal.services import estimates
from portal.web.access import public
from portal.web.estimate.forms import PAGES, EstimateForm, Page
from portal.web.forms import chosen_council, offer_councils
from portal.web.templating import LANGUAGES

bp = Blueprint("estimate", __name__)


@bp.get("/what-will-i-pay")
@public
def start() -> str:
    return render_template("estimate/start.html", rules=charging_rules.wales().on(today()))


@bp.route("/what-will-i-pay/questions", methods=["GET", "POST"])
@public
def questions() -> Response:
    """The page the form says they were on, and where they asked to go: on, back, or
    the same page in the other language. Going on checks that page's answers (and,
    should any have been changed on the way, every earlier page's)."""
    form = EstimateForm()
    offer_councils(form)
    pages = [p for p in PAGES if all(name in form for name in p.fields)]
    names = [p.name for p in pages]
    if request.method == "GET":
        return _page(form, pages, 0, check=False)
    # The estimate itself is the page after the last question.
    where = request.form.get("page")
    at = len(pages) if where == "result" else names.index(where) if where in names else 0
    go = request.form.get("go")
    if request.form.get("language") in LANGUAGES:
        session["lang"] = request.form["language"]
        refresh()
        if at < len(pages):
            return _page(form, pages, at, check=False)
        go = "on"  # the estimate again, in the other language
    if go == "back":
        return _page(form, pages, max(at - 1, 0), check=False)
    if go == "change":
        return _page(form, pages, 0, check=False)
    form.validate()
    last = min(at, len(pages) - 1)
    wrong = next((i for i, p in enumerate(pages[:last + 1]) if _errors(form, p)), None)
    if wrong is not None:
        return _page(form, pages, wrong, check=True)
    if at + 1 < len(pages):
        return _page(form, pages, at + 1, check=False)
    return _result(form)


def _result(form: EstimateForm) -> Response:
    """The estimate, from answers every page has checked."""
    council = deps().councils.get(chosen_council(form))
    found = estimates.estimate(form.answers(), council.charging_rules(today()))
    return _never_kept(render_template("estimate/result.html", form=form, estimate=found,
                                       council=council, hidden=_hidden(form, None)))


def _errors(form: EstimateForm, page: Page) -> bool:
    return any(form[name].errors for name in page.fields)


def _page(form: EstimateForm, pages: list[Page], at: int, check: bool) -> Response:
    """One question page, with its own answers' mistakes if `check`, and none other's."""
    page = pages[at]
    for field in form:
        if not check or field.name not in page.fields:
            field.errors = []
    status = 400 if check and form.errors else 200
    response = _never_kept(render_template(
        f"estimate/{page.name}.html", form=form, page=page, first=at == 0,
        number=at + 1, of=len(pages), hidden=_hidden(form, page)))
    response.status_code = status
    return response


def _hidden(form: EstimateForm, page: Page | None) -> list[tuple[str, str]]:
    """Every answer but the page's own, as sent, to ride along in the page."""
    hidden = []
    for field in form:
        if page is not None and field.name in page.fields:
            continue
        value = field.data if isinstance(field.data, str) else None
        if value:
            hidden.append((field.name, value))
    return hidden


def _never_kept(page: str) -> Response:
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response
