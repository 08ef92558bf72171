"""The demo's history in the portal's own records, for embedded mode only: what some
of the sandbox's made-up area (portal/sandbox/backoffice/area.py) did through the
portal over the last quarter of a year, so that a new run's public data page has
figures of its own to show, not only "fewer than 5".

Written once, into a database that holds none of it, laid out back from the moment
it is written. Its accounts have sign-in identities the sign-in sandbox does not
know, so nobody can sign in as them; their people are the area's, whom no demo
person can see. Its messages are sent and finished, so the outbox never sends them;
after 30 days it clears them into the tallies as it would any other."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import records
from portal.sandbox.backoffice.area import FAMILY, GIVEN
from portal.services import audit, figures, references
from portal.store import Store
from portal.store.models import (
    Account,
    AuditEvent,
    OutboxMessage,
    Payment,
    ReviewEvent,
    ReviewRequest,
)

HISTORY = "history:"  # how every one of its accounts' sign-in identities begins
DEMO_COUNCIL = "W06000002"  # Gwynedd, whose area the sandbox's people live in
PEOPLE = 120          # the area's people who use the portal (p-9001 onwards)
# People acting for one of them, by the basis they act on, and how likely each is
# to look in any one week.
HELPERS = (("carer", 22, 0.7), ("attorney", 8, 0.8), ("deputy", 4, 0.9),
           ("advocate", 7, 0.7), ("best-interests", 3, 0.6))


def write(store: Store, now: datetime, council: str = DEMO_COUNCIL) -> bool:
    """Write the history of this council's area, unless it is there already; whether
    it was written."""
    with store.transaction() as db:
        if db.scalar(select(Account.id).where(Account.identity_sub.startswith(HISTORY))
                     .limit(1)) is not None:
            return False
        history = _History(db, now, council)
        history.write()
        for person_id, events in history.looked.items():
            audit.count(store, db, person_id, events)
    return True


class _History:
    def __init__(self, db: Session, now: datetime, council: str) -> None:
        self.council = council
        self.db, self.now = db, now
        self.chance = random.Random(20261124)  # noqa: S311 - made up, the same every time
        self.weeks = figures.weeks_to(now)
        self.names: dict[str, str] = {}  # by account id
        self.looked: Counter[str] = Counter()  # access log events, by person id

    def write(self) -> None:
        people = self._accounts("person", PEOPLE, linked=True)
        # Each helps someone of their own.
        helping = [(role, account, seen) for role, many, seen in HELPERS
                   for account in self._accounts(role, many, linked=False)]
        helpers = [(role, account, person, seen)
                   for (role, account, seen), person in zip(helping, people, strict=False)]
        for week in self.weeks:
            begins, ends = week.begins, min(week.ends, self.now)
            if ends <= begins:
                continue
            share = (ends - begins) / (week.ends - week.begins)  # of this week, so far

            def moment(begins: datetime = begins, ends: datetime = ends) -> datetime:
                return begins + (ends - begins) * self.chance.random()

            for _ in range(round(self.chance.randint(12, 24) * share)):
                self._review(self.chance.choice(people), moment())
            for _ in range(round(self.chance.randint(25, 45) * share)):
                self._payment(self.chance.choice(people), moment())
            for _ in range(round(self.chance.randint(6, 12) * share)):
                account = self.chance.choice(people)
                self._message("letter", "review-booked", "cy+en" if account.language == "cy"
                              else "en", "1 Stryd Fawr, Caernarfon, LL55 1AA", moment())
            for role, helper, person, seen in helpers:
                if self.chance.random() < seen * share and person.person_id:
                    self.db.add(AuditEvent(
                        person_id=person.person_id, actor_account_id=helper.id,
                        actor_name=self.names[helper.id], actor_role=role,
                        action=self.chance.choice(("care.home", "care.plan", "care.visits")),
                        at=moment()))
                    self.looked[person.person_id] += 1

    def _accounts(self, kind: str, many: int, linked: bool) -> list[Account]:
        """Accounts made over the weeks shown and the two months before them."""
        first = self.weeks[0].begins - timedelta(weeks=8)
        accounts = []
        for n in range(many):
            made = first + (self.now - first) * self.chance.random() ** 0.7
            accounts.append(Account(
                identity_sub=f"{HISTORY}{kind}-{n}", language="cy"
                if self.chance.random() < 0.35 else "en", contact_by="email",
                contact_email=f"{kind}{n}@example.com", created_at=made,
                person_id=records.key(self.council, f"p-{9001 + n}") if linked else None,
                linked_at=made if linked else None))
        self.db.add_all(accounts)
        self.db.flush()
        self.names.update({account.id: f"{self.chance.choice(GIVEN)} "
                                       f"{self.chance.choice(FAMILY)}" for account in accounts})
        return accounts

    def _review(self, account: Account, asked: datetime) -> None:
        """A review asked for; nine in ten confirmed by the council hours later."""
        name = self.names[account.id]
        waited = timedelta(hours=min(self.chance.lognormvariate(3.0, 0.8), 240))
        confirmed: datetime | None = asked + waited
        if self.chance.random() >= 0.9 or asked + waited > self.now:
            confirmed = None
        review = ReviewRequest(
            reference=references.new(references.REVIEW), person_id=account.person_id,
            person_name=name, requested_by_account_id=account.id, requested_by_name=name,
            reason=self.chance.choice(("plan-due", "changed", "other")),
            mode=self.chance.choice(("home", "phone", "video")),
            slot_id=f"history-{uuid.uuid4()}",
            slot_start=asked + timedelta(days=21), slot_end=asked + timedelta(days=21, hours=1),
            status="booked" if confirmed else "requested",
            backoffice_id=f"history-{uuid.uuid4()}" if confirmed else None,
            version=1, synced_version=1, created_at=asked)
        self.db.add(review)
        self.db.flush()
        self.db.add(ReviewEvent(request_id=review.id, kind="requested", at=asked))
        if confirmed:
            self.db.add(ReviewEvent(request_id=review.id, kind="confirmed",
                                    start=review.slot_start, at=confirmed))
            self._told(account, "review-booked", confirmed)

    def _payment(self, account: Account, made: datetime) -> None:
        """A payment through Pay: most go through, some are declined or given up."""
        state = self.chance.choices(("success", "failed", "cancelled"), (85, 10, 5))[0]
        paid = made + timedelta(minutes=self.chance.randint(2, 9))
        self.db.add(Payment(
            reference=references.new(references.PAYMENT), person_id=account.person_id,
            person_name=self.names[account.id], invoice_id=f"history-{uuid.uuid4()}",
            invoice_number=f"INV-{self.chance.randint(100000, 999999)}",
            amount_pence=self.chance.randint(20, 400) * 50, language=account.language,
            made_by_account_id=account.id, made_by_name=self.names[account.id], state=state,
            finished=True, created_at=made,
            paid_at=paid if state == "success" else None,
            recorded_at=paid + timedelta(minutes=1) if state == "success" else None,
            failure_code="P0010" if state == "failed" else None))
        if state == "success":
            self._told(account, "payment-receipt", paid)

    def _told(self, account: Account, key: str, at: datetime) -> None:
        """An email in their language, and a text to some."""
        self._message("email", key, account.language or "en", account.contact_email or "", at)
        if self.chance.random() < 0.4:
            self._message("sms", key, account.language or "en", "07700900123", at)

    def _message(self, channel: str, key: str, language: str, to: str, at: datetime) -> None:
        sent = at + timedelta(seconds=self.chance.randint(5, 120))
        if sent > self.now:
            return
        reached = {"email": 0.96, "sms": 0.92, "letter": 1.0}[channel]
        self.db.add(OutboxMessage(
            channel=channel, template=f"{key}-{channel}-{language}", recipient=to,
            personalisation="{}", status="sent", attempts=1, next_attempt_at=sent,
            created_at=at, sent_at=sent, notify_id=str(uuid.uuid4()),
            delivery_status=("received" if channel == "letter" else "delivered")
            if self.chance.random() < reached else "permanent-failure"))
