"""Tell the council about a change: which change, then that change's few questions
(one a page), check your answers, and a reference; then follow it on Your requests
as the council receives it and answers.

The person can tell us, or whoever may see their care for them. Each kind of change
is a journey of its own (changes/questions.py says its questions), its answers kept
in the session for that person until they are sent; the outbox then takes the
change to the council, so none is lost while the back office is down."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import changes
from portal.web.access import acting_name, scope_required
from portal.web.changes.questions import QUESTIONS, KindForm, Question, answer, told
from portal.web.errors import or_404
from portal.web.features import offered
from portal.web.forms import ConfirmForm, PortalForm
from portal.web.journeys import Journey, question

bp = Blueprint("changes", __name__, url_prefix="/your-care")
CHECK = "check"


def _journey(kind: str) -> Journey:
    """A kind of change's question pages, named by their place in the address."""
    def address(page: str) -> str:
        return url_for("changes.check", kind=kind) if page == CHECK else \
            url_for("changes.question", kind=kind, step=page)
    return Journey(f"change:{kind}", [(q.name, f"asked:{q.name}") for q in QUESTIONS[kind]],
                   check=CHECK, whose=lambda: g.person_id, address=address)


JOURNEYS = {kind: _journey(kind) for kind in QUESTIONS}
# Each kind's question pages, by name, in order.
STEPS = {kind: [q.name for q in questions] for kind, questions in QUESTIONS.items()}


@bp.route("/tell-us-about-a-change", methods=["GET", "POST"])
@scope_required("plan")
@offered("changes")
def start() -> Response | str | tuple[str, int]:
    form = KindForm(data={"kind": request.args.get("kind")})
    if not form.validate_on_submit():
        return question("changes/start.html", form)
    kind = form.kind.data
    journey = JOURNEYS[kind]
    if "journey" not in journey.answers():  # a new telling: its name, and whose it is
        journey.save(journey=str(uuid.uuid4()),
                     person_name=deps().backoffice.get_person(g.person_id).full_name)
    return redirect(journey.address(QUESTIONS[kind][0].name))


@bp.route("/tell-us-about-a-change/<kind>/<step>", methods=["GET", "POST"],
          endpoint="question")
@scope_required("plan")
@offered("changes")
def ask(kind: str, step: str) -> Response | str | tuple[str, int]:
    journey, asked = _journey_of(kind), _question(kind, step)
    if "journey" not in journey.answers():
        return redirect(url_for("changes.start", kind=kind))
    return journey.ask(asked.name, asked.form, lambda form: _shown(kind, asked, form),
                       lambda form: {**answer(form), f"asked:{asked.name}": True},
                       _after(kind, asked))


@bp.route("/tell-us-about-a-change/<kind>/check", methods=["GET", "POST"])
@scope_required("plan")
@offered("changes")
def check(kind: str) -> Response | str:
    journey = _journey_of(kind)
    if "journey" not in journey.answers():
        return redirect(url_for("changes.start", kind=kind))
    if (missing := journey.missing_before(CHECK)) is not None:
        return missing
    answers = journey.answers()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("changes/check.html", form=form, told=told(kind, answers),
                               steps=STEPS[kind])
    made = changes.tell(deps().store, g.person_id, answers["person_name"],
                        g.signed_in.account_id, acting_name(answers["person_name"]),
                        told(kind, answers), answers["journey"], utcnow())
    journey.clear()
    return redirect(url_for("changes.detail", change_id=made.id, sent=1))


@bp.get("/changes/<change_id>")
@scope_required("plan")
def detail(change_id: str) -> str:
    change, council_unavailable = or_404(changes.get, deps().store, deps().backoffice,
                                         g.person_id, change_id)
    return render_template("changes/detail.html", just_sent=bool(request.args.get("sent")),
                           change=change, told=change.told, steps=STEPS[change.told.kind],
                           council_unavailable=council_unavailable)


# Inside the blueprint ---------------------------------------------------------

def _journey_of(kind: str) -> Journey:
    if kind not in JOURNEYS:
        abort(404)
    return JOURNEYS[kind]


def _question(kind: str, name: str) -> Question:
    found = next((q for q in QUESTIONS[kind] if q.name == name), None)
    if found is None:
        abort(404)
    return found


def _after(kind: str, asked: Question) -> str:
    """The next question's name, or check your answers after the last."""
    at = STEPS[kind].index(asked.name)
    return STEPS[kind][at + 1] if at + 1 < len(STEPS[kind]) else CHECK


def _shown(kind: str, asked: Question, form: PortalForm) -> str | tuple[str, int]:
    """A question's page, with the way back to the one before it."""
    at = STEPS[kind].index(asked.name)
    if request.args.get("change"):  # changing an answer: back to check your answers
        back = url_for("changes.check", kind=kind)
    elif at:
        back = url_for("changes.question", kind=kind, step=STEPS[kind][at - 1])
    else:
        back = url_for("changes.start", kind=kind)
    return question(f"changes/{'address' if asked.name == 'address' else 'question'}.html",
                    form, kind=kind, asked=asked, back_to=back,
                    field=next(f for f in form if f.name != "csrf_token"))
