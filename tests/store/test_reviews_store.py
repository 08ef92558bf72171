"""Review requests on every engine we run on: two workers syncing the same request at
once book it in the back office once and record it, and tell people, once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from portal.clients.backoffice import BackOfficeClient
from portal.clock import utcnow
from portal.services import reviews
from portal.store import Store
from portal.store.models import Account, OutboxMessage, ReviewEvent
from tests.support.settings import back_offices


def test_two_workers_syncing_one_request_record_it_once(
        store: Store, base_settings: Any, running_sandboxes: Any) -> None:
    backoffice = BackOfficeClient(back_offices(base_settings))
    with store.transaction() as db:
        account = Account(identity_sub="sub-owen", person_id="W06000002:p-1004", language="en",
                          email="owen.jenkins@example.com")
        db.add(account)
        db.flush()
        account_id = account.id
    slot = reviews.free_slots(backoffice, "W06000002:p-1004", "office", utcnow())[0][1][0]
    made = reviews.request_review(
        store, "W06000002:p-1004", "Owen Jenkins", account_id, "Owen Jenkins",
        reviews.Answers("plan-due", None, "office", None, None, "none", None), slot, utcnow())
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: reviews.sync(store, backoffice, made.id, "https://portal.example"),
                      range(4)))
    with store.transaction() as db:
        confirmed = db.scalar(select(func.count()).select_from(ReviewEvent).where(
            ReviewEvent.request_id == made.id, ReviewEvent.kind == "confirmed"))
        told = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.channel == "email", OutboxMessage.template.startswith("review-booked")))
    assert (confirmed, told) == (1, 1)
    bookings = running_sandboxes.back_office().bookings
    assert [b["slot_id"] for b in bookings.values()
            if b["portal_reference"] == made.reference] == [slot.id]
