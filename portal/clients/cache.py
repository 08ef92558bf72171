"""Back-office reads kept for a short time, so that a page, and the next page, do
not wait on the back office for what it said moments ago.

The cache is shared by every process that reads or writes (the web processes and
the outbox workers): Redis in production (BACKOFFICE_CACHE_URL), this process's
memory in embedded mode, where the worker is a thread of the one process. Each
answer is kept BACKOFFICE_CACHE_SECONDS (default 30). Any write the portal makes
for a person (a review booked, moved or cancelled, a payment recorded) forgets
every answer about them: each is kept with the person's generation number when it
was read, which the write moves on (the number and the answer are read together, in
one round trip to Redis). An answer is kept as the back office gave it, with its own "as of",
so pages still say truly how fresh it is.

The legal authorities someone holds are kept for AUTHORITIES_SECONDS (5 minutes).
A read already on its way is shared: another thread of this process asking the same
while it is out waits for that answer rather than asking again. So a page can start
its reads early (while access is decided, portal.web.access) and find them there.

Not kept: an invoice (a payment is always made for what is owed now), review
slots (the council's diary, not the person's), and anything that failed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from datetime import date
from typing import Any, TypeVar

from cachelib import BaseCache, RedisCache, SimpleCache

from portal.clients.backoffice import (
    AssessmentRequest,
    AuthorityHeld,
    BackOfficeClient,
    CarePlan,
    CarerAssessmentRequest,
    Charges,
    Conversations,
    CouncilTask,
    DirectPaymentAccount,
    Documents,
    InvoicePayment,
    Message,
    Person,
    RelatedPeople,
    ReviewBooking,
    VisitDetail,
    Visits,
)
from portal.councils import BackOffice

T = TypeVar("T")
PREFIX = "backoffice:"
MISSING: Any = object()  # nothing kept to answer with
# What a read a page starts alongside others is kept as (see answer_kept).
KEPT_AS: dict[str, Callable[..., str]] = {
    "get_person": lambda: "person",
    "get_care_plan": lambda: "care-plan",
    "list_visits": lambda start, end: f"visits:{start}:{end}",
    "get_visit": lambda visit_id: f"visit:{visit_id}",
}
# The legal authorities someone holds are kept longer: they change only when the
# council records or ends a power, and they decide every page someone reads while
# acting for another, so with them kept each such page is one back-office round.
# The council ending a power is seen within this time.
AUTHORITIES_SECONDS = 300


def make_cache(url: str, back_offices: Mapping[str, BackOffice]) -> BaseCache | None:
    """redis://host:port/db, memory:// (this process only), or "" for none. Each answer
    is kept under its record's key, which names its council; and every key starts with
    the back offices the answers came from, so portals on one Redis never share them."""
    if not url:
        return None
    if url == "memory://":
        # Generation numbers (kept for the default time) must outlive every answer they
        # date: an hour, against 5 minutes at most.
        return SimpleCache(threshold=10_000, default_timeout=3600)
    if url.startswith(("redis://", "rediss://")):
        import redis

        named = " ".join(f"{code}={b.url}" for code, b in sorted(back_offices.items()))
        source = hashlib.sha256(named.encode()).hexdigest()[:12]
        return RedisCache(host=redis.Redis.from_url(url), key_prefix=f"{PREFIX}{source}:")
    raise RuntimeError(f"BACKOFFICE_CACHE_URL must be redis://..., memory:// or empty: {url!r}")


class CachedBackOfficeClient(BackOfficeClient):
    """The back office's client, with a person's reads kept and their writes forgetting them."""

    def __init__(self, back_offices: Mapping[str, BackOffice], connect_timeout: float,
                 read_timeout: float, cache: BaseCache, seconds: int) -> None:
        super().__init__(back_offices, connect_timeout, read_timeout)
        self.cache = cache
        self.seconds = seconds
        self._out: dict[str, Future[Any]] = {}  # reads on their way, by key
        self._out_lock = threading.Lock()

    # Reads about one person, kept.
    def get_person(self, person_id: str) -> Person:
        return self._kept(person_id, KEPT_AS["get_person"](), super().get_person)

    def get_care_plan(self, person_id: str) -> CarePlan | None:
        return self._kept(person_id, KEPT_AS["get_care_plan"](), super().get_care_plan)

    def list_visits(self, person_id: str, start: date, end: date) -> Visits:
        return self._kept(person_id, KEPT_AS["list_visits"](start, end), super().list_visits,
                          start, end)

    def get_visit(self, person_id: str, visit_id: str) -> VisitDetail:
        return self._kept(person_id, KEPT_AS["get_visit"](visit_id), super().get_visit,
                          visit_id)

    def list_related_people(self, person_id: str) -> RelatedPeople:
        return self._kept(person_id, "related-people", super().list_related_people)

    def list_authorities_held(self, person_id: str) -> list[AuthorityHeld]:
        return self._kept(person_id, "authorities-held", super().list_authorities_held,
                          seconds=max(self.seconds, AUTHORITIES_SECONDS))

    def list_review_bookings(self, person_id: str) -> list[ReviewBooking]:
        return self._kept(person_id, "review-bookings", super().list_review_bookings)

    def get_charges(self, person_id: str) -> Charges:
        return self._kept(person_id, "charges", super().get_charges)

    def list_visit_reports(self, person_id: str) -> list[CouncilTask]:
        return self._kept(person_id, "visit-reports", super().list_visit_reports)

    def list_changes(self, person_id: str) -> list[CouncilTask]:
        return self._kept(person_id, "changes", super().list_changes)

    def list_financial_assessments(self, person_id: str) -> list[CouncilTask]:
        return self._kept(person_id, "financial-assessments", super().list_financial_assessments)

    def list_charging_reviews(self, person_id: str) -> list[CouncilTask]:
        return self._kept(person_id, "charging-reviews", super().list_charging_reviews)

    def get_direct_payment_account(self, person_id: str) -> DirectPaymentAccount | None:
        return self._kept(person_id, "direct-payment-account",
                          super().get_direct_payment_account)

    def list_direct_payment_returns(self, person_id: str) -> list[CouncilTask]:
        return self._kept(person_id, "direct-payment-returns",
                          super().list_direct_payment_returns)

    def list_documents(self, person_id: str) -> Documents:
        return self._kept(person_id, "documents", super().list_documents)

    def list_conversations(self, person_id: str) -> Conversations:
        return self._kept(person_id, "conversations", super().list_conversations)

    # A carer's own requests for a carer's needs assessment: one sent since is still
    # shown, read on its own (services/carers.py), until the list is read again.
    def list_carer_assessment_requests(self, person_id: str) -> list[CarerAssessmentRequest]:
        return self._kept(person_id, "carer-assessment-requests",
                          super().list_carer_assessment_requests)

    # A request for an assessment of care and support needs, kept under its own key (it
    # is about someone who may have no record yet); only the council moves it on.
    def get_assessment_request(self, request_id: str) -> AssessmentRequest:
        return self._kept(request_id, "assessment-request", super().get_assessment_request)

    # Writes for one person: afterwards, nothing kept about them is used again.
    def book_review(self, person_id: str, *args: Any, **kwargs: Any) -> ReviewBooking:
        return self._writing(person_id, super().book_review, *args, **kwargs)

    def move_review(self, person_id: str, *args: Any, **kwargs: Any) -> ReviewBooking:
        return self._writing(person_id, super().move_review, *args, **kwargs)

    def cancel_review(self, person_id: str, *args: Any, **kwargs: Any) -> ReviewBooking:
        return self._writing(person_id, super().cancel_review, *args, **kwargs)

    def record_payment(self, person_id: str, *args: Any, **kwargs: Any) -> InvoicePayment:
        return self._writing(person_id, super().record_payment, *args, **kwargs)

    def report_visit(self, person_id: str, *args: Any, **kwargs: Any) -> CouncilTask:
        return self._writing(person_id, super().report_visit, *args, **kwargs)

    def tell_change(self, person_id: str, *args: Any, **kwargs: Any) -> CouncilTask:
        return self._writing(person_id, super().tell_change, *args, **kwargs)

    def ask_for_financial_assessment(self, person_id: str, *args: Any, **kwargs: Any
                                     ) -> CouncilTask:
        return self._writing(person_id, super().ask_for_financial_assessment, *args, **kwargs)

    def ask_for_charging_review(self, person_id: str, *args: Any, **kwargs: Any
                                ) -> CouncilTask:
        return self._writing(person_id, super().ask_for_charging_review, *args, **kwargs)

    def send_direct_payment_return(self, person_id: str, *args: Any, **kwargs: Any
                                   ) -> CouncilTask:
        return self._writing(person_id, super().send_direct_payment_return, *args, **kwargs)

    def send_message(self, person_id: str, *args: Any, **kwargs: Any) -> Message:
        return self._writing(person_id, super().send_message, *args, **kwargs)

    def answer_kept(self, read: Callable[..., T], person_id: str, *args: Any) -> T:
        """What read(person_id, *args) would answer from what is kept, asked of the
        cache on this thread (one round trip); MISSING when the back office must be
        asked. So a page whose answers are all kept hands nothing to other threads."""
        what = KEPT_AS.get(getattr(read, "__name__", ""))
        if what is None or getattr(read, "__self__", None) is not self:
            return MISSING
        _, found = self._from_cache(person_id, what(*args))
        return found

    def forget(self, person_id: str) -> None:
        self.cache.inc(self._generation_key(person_id))

    def _kept(self, person_id: str, what: str, read: Callable[..., T], *args: Any,
              seconds: int | None = None) -> T:
        generation, found = self._from_cache(person_id, what)
        if found is not MISSING:
            value: T = found
            return value
        key = f"{person_id}:{what}"
        on_its_way = f"{key}:{generation}"
        with self._out_lock:
            out = self._out.get(on_its_way)
            asking = out is None
            if out is None:
                out = self._out[on_its_way] = Future()
        if not asking:
            shared: T = out.result()  # that read's answer, or its error
            return shared
        try:
            value = read(person_id, *args)
            self.cache.set(key, (generation, value), timeout=seconds or self.seconds)
        except BaseException as error:
            out.set_exception(error)
            raise
        else:
            out.set_result(value)
            return value
        finally:
            with self._out_lock:
                del self._out[on_its_way]

    def _from_cache(self, person_id: str, what: str) -> tuple[int, Any]:
        """The person's generation, and the answer kept for it in that generation (else
        MISSING): one round trip, the answer kept in a tuple with the generation it was
        read in (so that "no plan", None, is kept too)."""
        generation, found = self.cache.get_many(self._generation_key(person_id),
                                                f"{person_id}:{what}")
        generation = generation or 0
        if found is not None and found[0] == generation:
            return generation, found[1]
        return generation, MISSING

    def _writing(self, person_id: str, write: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return write(person_id, *args, **kwargs)
        finally:  # a write that timed out may still have been made
            self.forget(person_id)

    @staticmethod
    def _generation_key(person_id: str) -> str:
        return f"{person_id}:generation"
