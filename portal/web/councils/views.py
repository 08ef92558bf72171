"""Which council's area a postcode is in: for someone asked which council holds a
record, or whose area a person lives in, who is not sure; anyone may ask, signed in
or not (someone asking the council for care and support). The answer leads back to
the question, with that council chosen."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from portal.councils import postcode_district
from portal.dependencies import deps
from portal.web.access import public
from portal.web.councils.forms import FindCouncilForm

bp = Blueprint("councils", __name__)
# The questions that ask for a council, by the name their link gives (?next=).
ASKED_BY = {"link": "link.link_record", "moved": "link.moved", "ask": "acting.ask",
            "carer": "carers.who", "help": "asking.council", "plan": "emergency_plans.new"}


@bp.route("/find-your-council", methods=["GET", "POST"])
@public
def find() -> str | tuple[str, int]:
    question = url_for(ASKED_BY.get(request.args.get("next", ""), "link.link_record"))
    form = FindCouncilForm()
    if not form.validate_on_submit():
        return render_template("councils/find.html", form=form, back_to=question), \
            400 if form.errors else 200
    district = postcode_district(form.postcode.data)
    found = deps().councils.of_postcode(form.postcode.data)
    return render_template("councils/found.html", postcode=form.postcode.data.strip().upper(),
                           district=district, found=found, question=question)
