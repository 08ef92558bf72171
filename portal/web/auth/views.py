"""Signing in through the identity provider, and signing out everywhere it matters."""

from __future__ import annotations

import secrets

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal.clock import today
from portal.dependencies import deps
from portal.services import accounts
from portal.services.access import Actor, people_helped
from portal.web import choose_language
from portal.web.access import public, signed_in_required
from portal.web.forms import safe_next
from portal.web.limits import SIGN_IN, limiter

bp = Blueprint("auth", __name__)


def _callback_url() -> str:
    return current_app.config["BASE_URL"] + url_for("auth.callback")


@bp.get("/sign-in")
@public
@limiter.limit(SIGN_IN)
def sign_in() -> Response:
    session["oidc_state"] = secrets.token_urlsafe(24)
    session["oidc_nonce"] = secrets.token_urlsafe(24)
    session["oidc_verifier"] = secrets.token_urlsafe(48)
    return redirect(deps().identity.authorization_url(
        _callback_url(), session["oidc_state"], session["oidc_nonce"], choose_language(),
        session["oidc_verifier"]))


@bp.get("/sign-in/callback")
@public
def callback() -> Response | tuple[str, int]:
    expected_state = session.pop("oidc_state", None)
    nonce = session.pop("oidc_nonce", None)
    verifier = session.pop("oidc_verifier", None)
    if request.args.get("error") or not expected_state or not verifier or \
            request.args.get("state") != expected_state or not request.args.get("code"):
        return render_template("errors/sign_in_failed.html"), 400
    identity = deps().identity.complete_sign_in(_callback_url(), request.args["code"], nonce,
                                                verifier)
    signed_in = accounts.start_session(deps().store, identity, choose_language())
    next_page = session.get("next")
    # A fresh cookie at sign-in, so nothing from before carries over.
    session.clear()
    session["sid"] = signed_in.session_id
    session["lang"] = signed_in.language
    if signed_in.person_id is None:
        # Someone who only acts for others has no record of their own to link.
        helps = people_helped(deps().store, deps().backoffice,
                              Actor(signed_in.account_id, None), today())
        return redirect(url_for("acting.people" if helps else "link.link_record"))
    return redirect(safe_next(next_page, url_for("care.home")))


@bp.post("/sign-out")
@public
def sign_out() -> Response:
    """Signing out, on every device: this service's sessions end everywhere, and the
    person signs out of the provider in this browser. (The provider then tells every
    service the person used in it, this one too, with a token naming the person, not
    the device: so signing out could never mean this device only.) When the page signs
    someone out for doing nothing, only this device's session ends, here.
    A form's button, never a link, so that another site cannot sign anyone out."""
    timed_out = request.form.get("timed_out") == "1"
    if g.signed_in is not None and timed_out:
        accounts.end_session(deps().store, g.signed_in.session_id)
    elif g.signed_in is not None:
        accounts.end_every_session(deps().store, g.signed_in.account_id)
    return _leave(timed_out)


def _leave(timed_out: bool) -> Response:
    """Forget this browser's session (keeping its language), then sign out at the
    provider, unless it was for doing nothing."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    # The provider returns to the registered address only, so the reason rides in the session.
    session["timed_out"] = timed_out
    if g.signed_in is None or not g.signed_in.id_token or timed_out:
        return redirect(url_for("auth.signed_out"))
    return redirect(deps().identity.logout_url(
        g.signed_in.id_token, current_app.config["BASE_URL"] + url_for("auth.signed_out"),
        secrets.token_urlsafe(12)))


@bp.post("/session/keep-alive")
@signed_in_required
def keep_alive() -> tuple[str, int]:
    """Answering at all has touched the session: the idle clock starts again."""
    return "", 204


@bp.get("/signed-out")
@public
def signed_out() -> str:
    return render_template("auth/signed_out.html", timed_out=session.pop("timed_out", False))
