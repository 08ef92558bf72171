"""Question pages, one question a page, then check your answers (the Design
System's question pages pattern): the answers kept in the session until they are
sent, the way back to the first question not yet answered, and the way back to
check your answers after a change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response


def _endpoint(page: str) -> str:
    """A page named by its endpoint, with the view arguments of the page in hand."""
    return url_for(page, **(request.view_args or {}))


class Journey:
    """One journey's questions. `steps` are its question pages in order, with the
    answer each gives; `whose` says whose answers they are (the person in hand, or
    the signed-in account), so answers about one never show for another. Pages are
    named by their endpoints, unless `address` says where a named page is."""

    def __init__(self, name: str, steps: list[tuple[str, str]], check: str,
                 whose: Callable[[], str | None],
                 address: Callable[[str], str] = _endpoint) -> None:
        self.name, self.steps, self.check, self.whose = name, steps, check, whose
        self.address = address

    def answers(self) -> dict[str, Any]:
        """The answers so far, if they are about whoever is in hand now."""
        saved = session.get(self.name) or {}
        return dict(saved) if saved.get("for") == self.whose() else {"for": self.whose()}

    def save(self, **values: Any) -> None:
        session[self.name] = {**self.answers(), **values}

    def clear(self) -> None:
        session.pop(self.name, None)

    def missing_before(self, endpoint: str) -> Response | None:
        """Back to the first question not yet answered, if one before this page is."""
        answers = self.answers()
        for step, key in self.steps:
            if step == endpoint:
                return None
            if not answers.get(key):
                return redirect(self.address(step))
        return None

    def ask(self, endpoint: str, form_class: Callable[..., Any],
            show: Callable[[Any], str | tuple[str, int]],
            answer: Callable[[Any], dict[str, Any]], then: str,
            data: Callable[[dict[str, Any]], dict[str, Any]] = dict,
            ) -> Response | str | tuple[str, int]:
        """One question page: back to the first question before it not yet answered, if
        any; else the form with what they said before (`data` makes its fields of the
        saved answers), shown by `show` until what is sent is good; then the answer
        saved and on to `then` (or back to check your answers after a change)."""
        if (missing := self.missing_before(endpoint)) is not None:
            return missing
        form = form_class(data=data(self.answers()))
        if not form.validate_on_submit():
            return show(form)
        self.save(**answer(form))
        return self.next(then)

    def next(self, endpoint: str) -> Response:
        """The next question, or back to check your answers after a change."""
        if request.args.get("change") and self.missing_before(self.check) is None:
            return redirect(self.address(self.check))
        return redirect(self.address(endpoint))


def question(template: str, form: Any, **context: Any) -> str | tuple[str, int]:
    """A question page, with a 400 when what was sent has a mistake."""
    page = render_template(template, form=form, **context)
    return (page, 400) if form.errors else page
