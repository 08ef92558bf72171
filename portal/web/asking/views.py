"""Ask for care and support: anyone, signed in or not, asks a council for an
assessment of care and support needs, for themselves, for someone else or as their
advocate. Someone at risk now is shown 999 and the council's out-of-hours line
before any question; then one question a page, check your answers, and a reference.

Answers are kept in the session until they are sent, for whoever the browser is:
someone not signed in can see the confirmation of what they sent from this
browser, and nothing else. A signed-in asker follows their requests here, through
the council's answer, and links the record the council opens for them in one step."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import calendars
from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import assessment_requests
from portal.services.accounts import LinkOutcome
from portal.services.assessment_requests import Answers, RequestView
from portal.web.access import public, signed_in_required
from portal.web.asking.forms import (
    AboutForm,
    AdvocateForm,
    AgreementForm,
    ContactForm,
    CouncilForm,
    UrgencyForm,
    WhatIsHardForm,
    WhatMattersForm,
    WhoForm,
    WhoHelpsForm,
)
from portal.web.errors import or_404
from portal.web.forms import ConfirmForm, chosen_council, offer_councils, optional_text
from portal.web.journeys import Journey, question
from portal.web.templating import current_language

bp = Blueprint("asking", __name__, url_prefix="/ask-for-care-and-support")
# The question pages in order, and the answer each gives. Pages that do not apply
# (their agreement, when asking for yourself; an advocate, when you are one; the
# council, when one is served) are answered for them by the page before.
JOURNEY = Journey("assessment_request", [
    ("asking.urgency", "urgency"), ("asking.who", "relation"),
    ("asking.agreement", "agreement"), ("asking.about", "person_name"),
    ("asking.council", "council"), ("asking.what_matters", "what_matters"),
    ("asking.what_is_hard", "what_is_hard"), ("asking.who_helps", "who_helps_asked"),
    ("asking.advocate", "advocate"), ("asking.contact", "language")],
    check="asking.check", whose=lambda: g.signed_in.account_id if g.signed_in else "")
OWN_REQUEST, IS_ADVOCATE = "own-request", "is-advocate"  # kept for the pages skipped
SENT_HERE = "assessment_requests_sent"  # the session's list of requests sent from it


@bp.get("")
@public
def start() -> str:
    found = assessment_requests.for_account(deps().store, deps().backoffice,
                                             g.signed_in.account_id) if g.signed_in else None
    return render_template("asking/start.html", found=found, lines=_out_of_hours())


@bp.route("/urgent", methods=["GET", "POST"])
@public
def urgency() -> Response | str | tuple[str, int]:
    answers = JOURNEY.answers()
    form = UrgencyForm(data=answers)
    if not form.validate_on_submit():
        return question("asking/urgency.html", form)
    JOURNEY.save(urgency=form.urgency.data, token=answers.get("token") or str(uuid.uuid4()))
    if form.urgency.data == "at-risk-now":
        return redirect(url_for("asking.at_risk"))
    return JOURNEY.next("asking.who")


@bp.get("/someone-is-at-risk")
@public
def at_risk() -> str:
    return render_template("asking/at_risk.html", lines=_out_of_hours())


@bp.route("/who", methods=["GET", "POST"])
@public
def who() -> Response | str | tuple[str, int]:
    def answer(form: WhoForm) -> dict[str, Any]:
        relation, saved = form.relation.data, JOURNEY.answers()
        # The pages that do not apply are answered; those that now do are asked again.
        agreement = OWN_REQUEST if relation == "self" else (
            None if saved.get("agreement") == OWN_REQUEST else saved.get("agreement"))
        advocate = IS_ADVOCATE if relation == "advocate" else (
            None if saved.get("advocate") == IS_ADVOCATE else saved.get("advocate"))
        return {"relation": relation, "agreement": agreement, "advocate": advocate}
    return JOURNEY.ask("asking.who", WhoForm, _shown("asking/who.html"), answer,
                       "asking.agreement")


@bp.route("/their-agreement", methods=["GET", "POST"])
@public
def agreement() -> Response | str | tuple[str, int]:
    if _for_self():
        return redirect(url_for("asking.about"))
    if (missing := JOURNEY.missing_before("asking.agreement")) is not None:
        return missing
    form = AgreementForm(data=JOURNEY.answers())
    if not form.validate_on_submit():
        return question("asking/agreement.html", form)
    if form.agreement.data == "does-not-agree":  # an agreement said before goes too
        JOURNEY.save(agreement=None)
        return redirect(url_for("asking.cannot_ask"))
    JOURNEY.save(agreement=form.agreement.data)
    return JOURNEY.next("asking.about")


@bp.get("/they-do-not-want-help")
@public
def cannot_ask() -> str:
    return render_template("asking/cannot_ask.html", lines=_out_of_hours())


@bp.route("/about", methods=["GET", "POST"])
@public
def about() -> Response | str | tuple[str, int]:
    def answer(form: AboutForm) -> dict[str, Any]:
        found = deps().councils
        one = found.first.code if len(found) == 1 else None
        return {"person_name": form.name.data.strip(),
                "birth_date": form.birth_date.data.isoformat() if form.birth_date.data
                else None,
                "address": form.address.data.strip(), "postcode": form.postcode.data,
                "person_phone": optional_text(form.phone.data),
                **({"council": one} if one else {})}
    return JOURNEY.ask("asking.about", lambda **kw: AboutForm(_for_self(), **kw),
                       _shown("asking/about.html"), answer, "asking.council",
                       lambda saved: {**saved, "name": saved.get("person_name"),
                                      "phone": saved.get("person_phone")})


@bp.route("/council", methods=["GET", "POST"])
@public
def council() -> Response | str | tuple[str, int]:
    if len(deps().councils) == 1:
        return redirect(url_for("asking.what_matters"))

    def data(saved: dict[str, Any]) -> dict[str, Any]:
        # Where the postcode is in one council's area, that council, to be confirmed.
        found = deps().councils.of_postcode(saved.get("postcode") or "")
        return {"council": saved.get("council") or (found[0].code if len(found) == 1
                                                    else None)}

    def form(**kwargs: Any) -> CouncilForm:
        made = CouncilForm(**kwargs)
        offer_councils(made)
        return made

    return JOURNEY.ask("asking.council", form, _shown("asking/council.html"),
                       lambda f: {"council": chosen_council(f)}, "asking.what_matters", data)


@bp.route("/what-matters", methods=["GET", "POST"])
@public
def what_matters() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("asking.what_matters", lambda **kw: WhatMattersForm(_for_self(), **kw),
                       _shown("asking/what_matters.html"),
                       lambda f: {"what_matters": f.what_matters.data.strip()},
                       "asking.what_is_hard")


@bp.route("/what-is-hard", methods=["GET", "POST"])
@public
def what_is_hard() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("asking.what_is_hard",
                       lambda **kw: WhatIsHardForm(_for_self(), **kw),
                       _shown("asking/what_is_hard.html"),
                       lambda f: {"what_is_hard": f.what_is_hard.data.strip()},
                       "asking.who_helps")


@bp.route("/who-helps", methods=["GET", "POST"])
@public
def who_helps() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("asking.who_helps", lambda **kw: WhoHelpsForm(_for_self(), **kw),
                       _shown("asking/who_helps.html"),
                       lambda f: {"who_helps": optional_text(f.who_helps.data),
                                  "who_helps_asked": True}, "asking.advocate")


@bp.route("/advocate", methods=["GET", "POST"])
@public
def advocate() -> Response | str | tuple[str, int]:
    if JOURNEY.answers().get("relation") == "advocate":
        return redirect(url_for("asking.contact"))
    return JOURNEY.ask("asking.advocate", lambda **kw: AdvocateForm(_for_self(), **kw),
                       _shown("asking/advocate.html"),
                       lambda f: {"advocate": f.advocate.data}, "asking.contact",
                       lambda saved: {**saved, "advocate": None if saved.get(
                           "advocate") == IS_ADVOCATE else saved.get("advocate")})


@bp.route("/contact", methods=["GET", "POST"])
@public
def contact() -> Response | str | tuple[str, int]:
    def answer(form: ContactForm) -> dict[str, Any]:
        by = form.contact_by.data
        saved = JOURNEY.answers()
        given = {"contact_by": by,
                 "email": optional_text(form.email.data) if by == "email" else None,
                 "phone": optional_text(form.phone.data) if by == "phone" else None,
                 "best_times": optional_text(form.best_times.data), "language": form.language.data}
        if form.for_self:
            return {**given, "asker_name": saved.get("person_name"), "relationship": None,
                    "assessment_language": form.language.data}
        return {**given, "asker_name": form.name.data.strip(),
                "relationship": form.relationship.data.strip(),
                "assessment_language": form.assessment_language.data}

    def data(saved: dict[str, Any]) -> dict[str, Any]:
        return {"language": current_language(), "assessment_language": current_language(),
                **{k: v for k, v in saved.items() if v is not None},
                "name": saved.get("asker_name") if not _for_self() else None}

    return JOURNEY.ask("asking.contact", lambda **kw: ContactForm(_for_self(), **kw),
                       _shown("asking/contact.html"), answer, "asking.check", data)


@bp.route("/check", methods=["GET", "POST"])
@public
def check() -> Response | str:
    if (missing := JOURNEY.missing_before("asking.check")) is not None:
        return missing
    saved = JOURNEY.answers()
    asked = _as_answers(saved)
    if asked is None:  # who they asked for changed since: ask about them again
        return redirect(url_for("asking.contact"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("asking/check.html", form=form, answers=saved)
    made = assessment_requests.ask(
        deps().store, g.signed_in.account_id if g.signed_in else None, saved["token"],
        saved["council"], asked, utcnow())
    JOURNEY.clear()
    session[SENT_HERE] = [*session.get(SENT_HERE, [])[-9:], made.id]
    return redirect(url_for("asking.sent", request_id=made.id))


@bp.get("/sent/<request_id>")
@public
def sent(request_id: str) -> str:
    asked = or_404(assessment_requests.get, deps().store, request_id)
    mine = g.signed_in is not None and asked.account_id == g.signed_in.account_id
    if not mine and request_id not in session.get(SENT_HERE, []):
        abort(404)
    return render_template("asking/sent.html", asked=asked,
                           council=deps().councils.get(asked.council),
                           lines=_out_of_hours())


@bp.get("/requests/<request_id>")
@signed_in_required
def detail(request_id: str) -> str:
    asked, unavailable = _theirs(request_id)
    return render_template("asking/detail.html", asked=asked, council_unavailable=unavailable,
                           form=ConfirmForm(), asked_council=deps().councils.get(asked.council))


@bp.get("/requests/<request_id>/assessment.ics")
@signed_in_required
def calendar(request_id: str) -> Response:
    asked, _unavailable = _theirs(request_id)
    if asked.assessment_at is None or asked.status != "assessment-booked":
        abort(404)
    council = deps().councils.get(asked.council).name(current_language())
    body = calendars.event_file(
        asked.reference, asked.assessment_at, asked.assessment_at + timedelta(hours=1),
        _("Assessment of care and support needs: %(name)s", name=asked.person_name),
        _("With %(council)s. Reference: %(reference)s.", council=council,
          reference=asked.reference), utcnow())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="assessment-{asked.reference}.ics"'})


@bp.post("/requests/<request_id>/link-record")
@signed_in_required
def link_record(request_id: str) -> Response:
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("asking.detail", request_id=request_id))
    # Not theirs, or nothing to link: not found, either way.
    linked = or_404(assessment_requests.link_record, deps().store, deps().backoffice,
                    g.signed_in.account_id, request_id, utcnow())
    if linked is LinkOutcome.LINKED or linked is LinkOutcome.ALREADY:
        session.pop("acting_for", None)
        flash(_("Your care record is linked. You can now see your care and support plan."),
              "success")
        return redirect(url_for("care.home"))
    abort(404)


# Inside the blueprint ---------------------------------------------------------

def _for_self() -> bool:
    return JOURNEY.answers().get("relation") == "self"


def _shown(template: str) -> Callable[[Any], str | tuple[str, int]]:
    return lambda form: question(template, form, for_self=_for_self(),
                                 relation=JOURNEY.answers().get("relation"))


def _as_answers(saved: dict[str, Any]) -> Answers | None:
    """The answers kept in the session, as the service takes them; None when an
    answer the journey now needs is not among them."""
    fields: dict[str, Any] = {name: saved.get(name) for name in Answers.__dataclass_fields__}
    fields["agreement"] = None if saved.get("agreement") == OWN_REQUEST else saved.get(
        "agreement")
    fields["advocate"] = None if saved.get("advocate") == IS_ADVOCATE else saved.get(
        "advocate")
    if fields["relation"] == "self":
        fields["asker_name"] = saved.get("person_name")
    made = Answers(**fields)
    try:
        made.check()
    except ValueError:
        return None
    if not made.asker_name or (not made.for_self and not made.relationship):
        return None
    return made


def _out_of_hours() -> list[tuple[str, str]]:
    """Each council served, with its out-of-hours line, in the page's language."""
    language = current_language()
    return [(c.name(language), c.out_of_hours_phone) for c in deps().councils]


def _theirs(request_id: str) -> tuple[RequestView, bool]:
    return or_404(assessment_requests.one_for_account, deps().store, deps().backoffice,
                  g.signed_in.account_id, request_id)
