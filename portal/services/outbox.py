"""The transactional outbox: messages, and writes the back office must get, are
written in the same transaction as the change that causes them, and a worker
sends them, so none is lost when Notify or the back office is down and none is
sent twice when a try's answer is lost.

Each channel has a sender: email and sms go to Notify (via_notify), backoffice
to the operation the message names (portal.worker.senders puts them together)."""

from __future__ import annotations

import json
import logging
import math
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from portal import messages
from portal.clients.errors import ServiceError, ServiceUnavailable
from portal.clients.notify import NotifyClient, RecipientRefused
from portal.clock import utcnow
from portal.services import contact, figures
from portal.store import Store
from portal.store.models import OutboxMessage, SendWindow

log = logging.getLogger(__name__)
CHANNELS = ("email", "sms", "letter", "backoffice")
# Channels sent in turns of their own, so that one service being slow never holds up
# another's: a slow Notify never delays a booking reaching the back office.
LANES = {"notify": ("email", "sms", "letter"), "backoffice": ("backoffice",)}
# How long finished messages (sent, withdrawn, failed) are kept, then cleared.
KEEP_FINISHED = timedelta(days=30)
FINISHED = ("sent", "withdrawn", "failed")

# Sends one claimed message; returns the service's id for it, if it gives one.
# Raises ServiceUnavailable to try again later, another ServiceError to give up.
Sender = Callable[[OutboxMessage], str | None]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    first_delay: timedelta = timedelta(seconds=5)
    longest_delay: timedelta = timedelta(hours=1)
    # While a worker holds a claimed message, no other worker takes it.
    lease: timedelta = timedelta(minutes=2)

    def delay(self, attempts: int) -> timedelta:
        """Exponential backoff with full jitter: 5 s, 10 s, 20 s ... up to an hour."""
        ceiling = min(self.first_delay * (2 ** (attempts - 1)), self.longest_delay)
        return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - spreading retries, not secrets


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def enqueue(db: Session, channel: str, template: str, recipient: str,
            personalisation: dict[str, Any], not_before: datetime | None = None,
            about: str | None = None, unsubscribe_url: str | None = None,
            council: str | None = None) -> str:
    """Add a message to send (at once, or not before a time), inside the caller's
    transaction. `about` (kind:id) lets a later change withdraw it; an email the
    person may do without carries the link that stops that kind (`unsubscribe_url`);
    `council`, whose people it is about, sends it by that council's own Notify
    service where it has one."""
    if channel not in CHANNELS:
        raise ValueError(channel)
    message = OutboxMessage(channel=channel, template=template, recipient=recipient,
                            personalisation=json.dumps(personalisation, ensure_ascii=False),
                            status="pending", attempts=0, next_attempt_at=not_before or utcnow(),
                            about=about, unsubscribe_url=unsubscribe_url, council=council)
    db.add(message)
    db.flush()
    return message.id


def tell(db: Session, to: contact.Recipient, key: str,
         values: Callable[[str], dict[str, Any]], about: str,
         not_before: datetime | None = None, unsubscribe_url: str | None = None) -> str:
    """A message of this kind to one recipient, in their language (`values` gives its
    personalisation in a language): in both, Welsh first, in a letter to someone whose
    language we do not know."""
    return enqueue(db, to.channel, f"{key}-{to.channel}-{to.language}", to.address,
                   messages.in_language(to.language, values), not_before, about,
                   unsubscribe_url, to.council)


def withdraw(db: Session, about: str, template_prefix: str) -> int:
    """Stop messages not yet sent about this thing, inside the caller's transaction:
    say, the reminders of a review that has moved."""
    result = db.execute(update(OutboxMessage)
                        .where(OutboxMessage.about == about, OutboxMessage.status == "pending",
                               OutboxMessage.template.startswith(template_prefix))
                        .values(status="withdrawn")
                        .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def claim(store: Store, limit: int, policy: RetryPolicy, now: datetime | None = None,
          channels: tuple[str, ...] = CHANNELS) -> list[OutboxMessage]:
    """Take up to `limit` due messages on these channels for this worker, for the
    policy's lease.

    On PostgreSQL rows another worker is claiming are skipped (SELECT ... FOR UPDATE
    SKIP LOCKED), so any number of workers can run. SQLite has no row locks: there
    one UPDATE claims the rows, which SQLite runs as a single atomic write."""
    now = now or utcnow()
    due = (OutboxMessage.status == "pending", OutboxMessage.channel.in_(channels),
           OutboxMessage.next_attempt_at <= now,
           or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
    token = str(uuid.uuid4())
    with store.transaction() as db:
        oldest = select(OutboxMessage.id).where(*due).order_by(
            OutboxMessage.next_attempt_at).limit(limit)
        if store.engine.dialect.name == "postgresql":
            ids = list(db.scalars(oldest.with_for_update(skip_locked=True)))
            claimable: ColumnElement[bool] = OutboxMessage.id.in_(ids)
        else:
            claimable = and_(OutboxMessage.id.in_(oldest.scalar_subquery()), *due)
        db.execute(update(OutboxMessage).where(claimable)
                   .values(claimed_until=now + policy.lease, claim_token=token)
                   .execution_options(synchronize_session=False))
        return list(db.scalars(select(OutboxMessage).where(OutboxMessage.claim_token == token)
                               .order_by(OutboxMessage.next_attempt_at)))


def via_notify(notify_for: Callable[[str | None], NotifyClient], store: Store,
               address_of: Callable[[str], list[str]] | None = None) -> Sender:
    """The sender for emails, text messages and letters (each letter to the address
    `address_of` its recipient, looked up when it is sent), each by the Notify service
    `notify_for` the council it names (the national one for none).

    A message tried before may have got through even though no answer came back,
    so it is looked up by its reference first, and sent only if Notify has none.
    An address Notify refuses outright is treated as one it could not deliver to."""
    def send(message: OutboxMessage) -> str | None:
        notify = notify_for(message.council)
        notify_id = notify.find_sent(message.id) if message.attempts else None
        if notify_id is None:
            values = json.loads(message.personalisation)
            if message.channel == "letter":
                lines = address_of(message.recipient) if address_of else []
                if not lines:  # never a letter with no address, nor one Notify refuses
                    raise ServiceError("outbox", "no address Notify would post a letter to")
                values.update({f"address_line_{n}": line for n, line in
                               enumerate(lines, start=1)})
            try:
                notify_id = notify.send(message.channel, message.template, message.recipient,
                                        values,
                                        reference=message.id,
                                        unsubscribe_url=message.unsubscribe_url)
            except RecipientRefused:
                if message.channel != "letter":  # a letter's address is the council's
                    contact.note_undeliverable(store, message.channel, message.recipient)
                raise
        return notify_id
    return send


def send_claimed(store: Store, senders: Mapping[str, Sender], message: OutboxMessage,
                 policy: RetryPolicy) -> str:
    """Try one claimed message; record what happened. Returns sent, retrying or failed."""
    try:
        external_id = senders[message.channel](message)
    except ServiceUnavailable as error:
        return _retry_or_fail(store, message.id, str(error), policy)
    except ServiceError as error:
        log.error("outbox message %s refused: %s", message.id, error)
        _finish(store, message.id, "failed", last_error=str(error))
        return "failed"
    _finish(store, message.id, "sent", notify_id=external_id)
    return "sent"


def take_send(store: Store, lane: str, per_minute: int, now: float) -> float:
    """Take one of the lane's sends, shared by every worker through the database: 0
    when it is taken, else how many seconds until the next window has room. Windows
    are short (a second, or as long as one send takes at a low rate), so that no
    sixty seconds, wherever they start, hold more than per_minute."""
    window = max(1, math.ceil(60 / per_minute))
    allowed = max(1, per_minute * window // 60)
    starts = int(now // window * window)
    with store.transaction() as db:
        taken = db.execute(
            store.insert(SendWindow).values(lane=lane, starts=starts, sent=1)
            .on_conflict_do_update(index_elements=[SendWindow.lane, SendWindow.starts],
                                   set_={"sent": SendWindow.sent + 1},
                                   where=SendWindow.sent < allowed)
            .returning(SendWindow.sent)).first()
    return 0.0 if taken is not None else starts + window - now


def release(store: Store, message_ids: Sequence[str]) -> int:
    """Let go of claimed messages not sent (a worker stopping): due again at once, for
    any worker. Returns how many."""
    if not message_ids:
        return 0
    with store.transaction() as db:
        return int(db.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(message_ids),
                                        OutboxMessage.status == "pending")
            .values(claimed_until=None, claim_token=None)
            .execution_options(synchronize_session=False)).rowcount)  # type: ignore[attr-defined]


def clear_send_windows(store: Store, now: float, keep_seconds: int = 3600) -> None:
    """Forget send windows long past."""
    with store.transaction() as db:
        db.execute(delete(SendWindow).where(SendWindow.starts < now - keep_seconds))


def deliver_due(store: Store, senders: Mapping[str, Sender], limit: int = 50,
                policy: RetryPolicy | None = None) -> Outcome:
    """Send what is due now, once each."""
    policy = policy or RetryPolicy()
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for message in claim(store, limit, policy):
        counts[send_claimed(store, senders, message, policy)] += 1
    return Outcome(**counts)


def clear_finished(store: Store, now: datetime, keep: timedelta = KEEP_FINISHED,
                   batch: int = 1000) -> int:
    """Delete finished messages last due more than `keep` ago, a batch at a time (so no write
    holds the table long), first adding those sent to the figures' tallies. Returns how
    many went. Pending ones are never touched."""
    cleared = 0
    while True:
        with store.transaction() as db:
            old = select(OutboxMessage.id).where(
                OutboxMessage.status.in_(FINISHED),
                OutboxMessage.next_attempt_at < now - keep).limit(batch)
            ids, gone = list(db.scalars(old)), 0
            if ids:
                # What this transaction deleted, and only that: a message another
                # worker cleared at the same moment is counted once, by that worker.
                deleted = db.execute(
                    delete(OutboxMessage).where(OutboxMessage.id.in_(ids))
                    .returning(*figures.TALLIED)
                    .execution_options(synchronize_session=False)).all()
                figures.tally_cleared(store, db, deleted)
                gone = len(deleted)
        cleared += gone
        if len(ids) < batch:
            return cleared


def record_received(db: Session, model: Any, row_id: str, backoffice_id: str) -> Any | None:
    """Note, inside the caller's transaction, that the council has this row (a request
    or report sent through the outbox: a model with backoffice_id and received_at);
    the row, or None if that was noted already. One conditional UPDATE claims the
    noting, so two workers sending the same row at once cannot both act on it."""
    claimed = db.execute(
        update(model).where(model.id == row_id, model.backoffice_id.is_(None))
        .values(backoffice_id=backoffice_id, received_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return db.get(model, row_id, populate_existing=True) if claimed else None


def record_receipt(store: Store, notify_id: str, reference: str | None, status: str
                   ) -> OutboxMessage | None:
    """Note Notify's delivery receipt against the message; None if it is not ours."""
    with store.transaction() as db:
        message = db.get(OutboxMessage, reference) if reference else None
        if message is None:
            message = db.scalar(select(OutboxMessage).where(OutboxMessage.notify_id == notify_id))
        if message is not None:
            message.delivery_status = status
        return message


def _retry_or_fail(store: Store, message_id: str, error: str, policy: RetryPolicy) -> str:
    with store.transaction() as db:
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        message.attempts += 1
        message.last_error = error
        message.claimed_until = None
        if message.attempts >= policy.max_attempts:
            message.status = "failed"
            log.error("outbox message %s failed for good after %d tries: %s", message_id,
                      message.attempts, error)
            return "failed"
        message.next_attempt_at = utcnow() + policy.delay(message.attempts)
        return "retrying"


def _finish(store: Store, message_id: str, status: str, notify_id: str | None = None,
            last_error: str | None = None) -> None:
    with store.transaction() as db:
        message = db.get(OutboxMessage, message_id)
        assert message is not None
        message.status = status
        message.attempts += 1
        message.claimed_until = None
        message.notify_id = notify_id
        message.last_error = last_error
        if status == "sent":
            message.sent_at = utcnow()
