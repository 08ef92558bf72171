"""SQLAlchemy models of what the portal owns. Change them only with a migration."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from portal.clock import utcnow
from portal.messages import VISIT_ALERTS


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _new_id() -> str:
    return str(uuid.uuid4())


def new_stop_token() -> str:
    return secrets.token_urlsafe(24)


class Base(DeclarativeBase):
    pass


class Account(Base):
    """A sign-in identity, and the care record it is linked to once linked."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    identity_sub: Mapped[str] = mapped_column(String(255), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    # Back-office person id; one account per person.
    person_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # 'cy' or 'en': used for every page and everything sent to this person.
    language: Mapped[str | None] = mapped_column(String(2))
    # How we send them updates: email, sms, both or none; and where.
    contact_by: Mapped[str] = mapped_column(String(10), default="email")
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    # The channel whose detail Notify could not deliver to, until it is changed.
    undeliverable: Mapped[str | None] = mapped_column(String(10))
    link_failures: Mapped[int] = mapped_column(Integer, default=0)
    link_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When they were last told someone tried to link another sign-in to their record.
    link_attempt_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The messages they can do without that they have stopped (template keys, spaced),
    # and the secret in the one-step link to stop them, which comes in those emails.
    # Alerts about visits are had only by choice: stopped until they choose them.
    stopped: Mapped[str] = mapped_column(String(200), default=" ".join(VISIT_ALERTS))
    # The hours (0 to 23, local) between which no alert about a visit is sent, held
    # until they end; a missed visit may be told at any hour if they ask.
    quiet_from: Mapped[int | None] = mapped_column(Integer)
    quiet_until: Mapped[int | None] = mapped_column(Integer)
    missed_any_hour: Mapped[bool] = mapped_column(Boolean, default=False)
    stop_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_stop_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When they told us they look after someone: from then they have a carer's area.
    carer_since: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EarlierRecord(Base):
    """A care record an account was linked to before its current one: a person who
    moved to another council's area keeps their earlier council's record (its letters,
    its charges, its messages) within reach of the same sign-in."""

    __tablename__ = "earlier_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    # The record's key; held by no other account, current or earlier.
    person_id: Mapped[str] = mapped_column(String(64), unique=True)
    person_name: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserSession(Base):
    """A signed-in session. The browser holds only its id; ending it here ends it."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    id_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Delegation(Base):
    """Access a person gave someone in the portal to act for them.

    Starts either as an invitation (a one-time code), live once the invitee redeems
    it with their own sign-in; or as a carer's ask (`asked_at`), live once the
    person accepts it (`redeemed_at`, with the scopes they chose), or declined."""

    __tablename__ = "delegations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    granted_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    actor_account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    invitee_name: Mapped[str] = mapped_column(String(200))
    invitee_contact: Mapped[str] = mapped_column(String(320))
    relationship: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(String(20), default="consent")
    # Space-separated: plan reviews money notifications messages.
    scopes: Mapped[str] = mapped_column(String(100))
    # The person keeps what care workers record at each visit, and their names, from
    # them (shown with `plan` unless so).
    notes_withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A carer asked the person for access; the person said no.
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class AuditEvent(Base):
    """Someone other than the person read their data or acted for them.
    Append-only: the application never changes or deletes a row."""

    __tablename__ = "audit_events"
    # A person's log, newest first, a page at a time (migration 0010).
    __table_args__ = (Index("ix_audit_events_person_newest", "person_id", "at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    actor_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AuditCount(Base):
    """How many events a person's audit log holds, kept with each event written, so
    the log's length is known without counting it."""

    __tablename__ = "audit_counts"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    events: Mapped[int] = mapped_column(Integer, default=0)


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _context: object, _instances: object) -> None:
    for row in list(session.dirty) + list(session.deleted):
        if isinstance(row, AuditEvent):
            raise PermissionError("the audit log is append-only")


class OutboxMessage(Base):
    """A message to send, written in the same transaction as the change that causes
    it, and sent by the outbox worker. Its id is the reference Notify keeps, so a
    retry can tell whether an earlier try got through."""

    __tablename__ = "outbox_messages"
    # What is still to send, by channel and time; finished messages by age (0010);
    # messages sent, by when, for the public figures (0024).
    __table_args__ = (
        Index("ix_outbox_messages_due", "channel", "next_attempt_at",
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_outbox_messages_finished", "status", "next_attempt_at"),
        Index("ix_outbox_messages_sent", "status", "sent_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    # email or sms (sent by Notify), or backoffice (a write the back office must get).
    channel: Mapped[str] = mapped_column(String(10))
    # The Notify template's name, or the back-office operation's.
    template: Mapped[str] = mapped_column(String(100))
    # An email address or phone number, or what the operation acts on.
    recipient: Mapped[str] = mapped_column(String(320))
    personalisation: Mapped[str] = mapped_column(Text)  # JSON
    # pending -> sent, or failed after the last try, or withdrawn (a reminder of a
    # review since moved or cancelled); delivery comes from Notify's receipt.
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(36), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    notify_id: Mapped[str | None] = mapped_column(String(36), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # What the message is about, as kind:id (review:<id>), to find it again.
    about: Mapped[str | None] = mapped_column(String(64), index=True)
    # For an email the person can do without: where one step stops that kind of message.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(2000))
    # The council whose people it is about, when that council has a Notify service of
    # its own to send it (0027); None: the national service.
    council: Mapped[str | None] = mapped_column(String(9))


class ReviewRequest(Base):
    """A review someone asked for through the portal, and the answers they gave.

    The back office holds the booking. This row holds what was asked for, so
    nothing is lost while the back office is down: each change bumps `version`
    and queues a back-office write in the outbox, which brings the back office
    up to date (`synced_version`). `slot_*` is the time asked for; `booked_*` the
    time the back office holds."""

    __tablename__ = "review_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    requested_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    requested_by_name: Mapped[str] = mapped_column(String(200))
    # Which plan is to be reviewed: care (the care and support plan) or carer (the
    # support plan of someone as a carer).
    plan: Mapped[str] = mapped_column(String(10), default="care")
    reason: Mapped[str] = mapped_column(String(20))
    reason_detail: Mapped[str | None] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(10))
    access_needs: Mapped[str | None] = mapped_column(Text)
    others_attending: Mapped[str | None] = mapped_column(Text)
    language_support: Mapped[str] = mapped_column(String(20), default="none")
    interpreter_language: Mapped[str | None] = mapped_column(String(100))
    slot_id: Mapped[str] = mapped_column(String(100))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime())
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime())
    # booked or cancelled: what the person wants.
    wanted: Mapped[str] = mapped_column(String(10), default="booked")
    # requested, booked, cancelled or not-booked: what the back office has done.
    status: Mapped[str] = mapped_column(String(12), default="requested")
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    booked_slot_id: Mapped[str | None] = mapped_column(String(100))
    booked_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    booked_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    synced_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ReviewEvent(Base):
    """One step in a review request's timeline: requested, confirmed, move-requested,
    moved, cancel-requested, cancelled, not-booked."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("review_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The review's time as it stood after this step.
    start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    by_name: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Payment(Base):
    """One try at paying an invoice through GOV.UK Pay.

    Made before the person is sent to Pay; its id is the only thing in the return
    URL. `live_invoice_id` is set (and unique) while the payment can still be paid,
    so an invoice has at most one live payment: a second click resumes it."""

    __tablename__ = "payments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    # Ours, short, for the receipt and for reading out: PY-H4TN-9BWC. Pay's own id
    # (pay_payment_id) is 26 characters.
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    invoice_id: Mapped[str] = mapped_column(String(64), index=True)
    invoice_number: Mapped[str] = mapped_column(String(64))
    live_invoice_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    amount_pence: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    made_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    made_by_name: Mapped[str] = mapped_column(String(200))
    pay_payment_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    next_url: Mapped[str | None] = mapped_column(Text)
    # creating (before Pay answers), then Pay's: created, started, submitted, success,
    # failed, cancelled, error.
    state: Mapped[str] = mapped_column(String(12), default="creating")
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    failure_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the council's ledger recorded it.
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PayWebhookMessage(Base):
    """A webhook message from Pay, kept so a repeat is recognised and ignored."""

    __tablename__ = "pay_webhook_messages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # webhook_message_id
    payment_id: Mapped[str] = mapped_column(String(64), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BrowserSession(Base):
    """What one browser's session holds. The cookie carries a random id; only its
    hash is kept here, so a copy of the database opens no one's session."""

    __tablename__ = "browser_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CarerAssessmentRequest(Base):
    """A carer's needs assessment someone asked for through the portal: theirs alone,
    never part of the record of the person they look after.

    Saved first, with the back-office write queued in the outbox in the same
    transaction, so it is kept while the back office is down; `backoffice_id` and
    `received_at` are set once the council has it."""

    __tablename__ = "carer_assessment_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    # The council asked (its GSS code): that of the person cared for, else the carer's.
    council: Mapped[str] = mapped_column(String(9))
    # The carer's own record, if they have linked one.
    carer_person_id: Mapped[str | None] = mapped_column(String(64))
    carer_name: Mapped[str] = mapped_column(String(200))
    cared_for_name: Mapped[str] = mapped_column(String(200))
    # They cannot or do not want to carry on caring: the council treats it as urgent.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2))
    answers: Mapped[str] = mapped_column(Text)  # JSON: every answer, as the carer gave it
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssessmentRequest(Base):
    """A request for an assessment of care and support needs made through the portal:
    by the person themselves, by someone for them, or by their advocate; signed in
    (the account follows it) or not (the asker has its reference, and a message).

    Saved first, with the back-office write queued in the outbox in the same
    transaction, so it is kept while the back office is down; `backoffice_id` and
    `received_at` are set once the council has it."""

    __tablename__ = "assessment_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # The journey's own id: however often the answers are sent, one request.
    token: Mapped[str] = mapped_column(String(36), unique=True)
    # Who asked, if signed in: theirs to follow. None: asked without signing in.
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    council: Mapped[str] = mapped_column(String(9))  # the council asked (its GSS code)
    relation: Mapped[str] = mapped_column(String(16))  # self, someone-else, advocate
    person_name: Mapped[str] = mapped_column(String(200))  # who needs care and support
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(2))  # the asker's, for what we send
    answers: Mapped[str] = mapped_column(Text)  # JSON: every answer, as given
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EmergencyPlan(Base):
    """A carer's plan for when they suddenly cannot care: who to contact, what the
    person they look after needs each day, medicines, routines, keys, who can step in.
    The carer's own, held by the council (for its out-of-hours team) and read here by
    the carer, the person cared for (when the portal knows their record) and those the
    person chooses (emergency_plan_readers).

    Every change is a new `version`, queued in the outbox in the same transaction;
    `sent_version` is the one the council has."""

    __tablename__ = "emergency_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)  # the carer
    carer_name: Mapped[str] = mapped_column(String(200))
    carer_person_id: Mapped[str | None] = mapped_column(String(64))
    council: Mapped[str] = mapped_column(String(9))
    # The person cared for: their record, where they are someone the carer acts for here.
    cared_for_person_id: Mapped[str | None] = mapped_column(String(64), index=True)
    cared_for_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))  # the language it was written in
    content: Mapped[str] = mapped_column(Text)  # JSON: each section, as written
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    sent_version: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EmergencyPlanReader(Base):
    """Someone the person cared for chose to let read a carer's emergency plan about
    them: one who acts for them here, by that access, so it goes when the access does."""

    __tablename__ = "emergency_plan_readers"
    __table_args__ = (UniqueConstraint("plan_id", "delegation_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("emergency_plans.id"), index=True)
    delegation_id: Mapped[str] = mapped_column(ForeignKey("delegations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VisitReport(Base):
    """A missed or late visit someone reported through the portal. Saved first, with
    the back-office write queued in the outbox in the same transaction, so it is kept
    while the back office is down; `backoffice_id` and `received_at` are set once the
    council has it."""

    __tablename__ = "visit_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    visit_id: Mapped[str] = mapped_column(String(100))
    visit_start: Mapped[datetime] = mapped_column(UTCDateTime())
    # nobody-came, came-late, left-early or someone-unexpected
    what_happened: Mapped[str] = mapped_column(String(20))
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[str | None] = mapped_column(Text)
    reported_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    reported_by_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Change(Base):
    """A change someone told the council about through the portal: a stay in hospital,
    a new address or phone number, needs that have changed, a carer who can no longer
    help. Saved first, with the back-office write queued in the outbox in the same
    transaction, so it is kept while the back office is down; `backoffice_id` and
    `received_at` are set once the council has it. `journey` is the question pages'
    own id for it, so a form sent twice makes one change."""

    __tablename__ = "changes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    journey: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # one of portal.services.changes.KINDS
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[str] = mapped_column(Text)  # JSON: what they told us, as the contract says
    told_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    told_by_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FinancialAssessment(Base):
    """A request for the council's financial assessment, sent through the portal by the
    person or someone with the `money` scope for them: their answers (JSON, a week's
    amounts in pence, as the contract says), the portal's estimate on the day, and the
    evidence files (RequestFile). Saved first, with the back-office write queued
    in the outbox in the same transaction; `backoffice_id` and `received_at` are set
    once the council has it. `journey` is the question pages' own id, so a form sent
    twice asks once."""

    __tablename__ = "financial_assessments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    journey: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    answers: Mapped[str] = mapped_column(Text)
    estimate_pence: Mapped[int] = mapped_column(Integer)
    told_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    told_by_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChargingReview(Base):
    """Asking the council to look again at its decision on a financial assessment (a
    review of a charging decision): why the person, or someone with the `money` scope
    for them, thinks it is wrong. Saved first, with the back-office write queued in the
    outbox in the same transaction; `backoffice_id` and `received_at` are set once the
    council has it. The council is asked to look again once for each assessment, so a
    form sent twice, or from two pages at once, asks once."""

    __tablename__ = "charging_reviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    financial_assessment_id: Mapped[str] = mapped_column(
        ForeignKey("financial_assessments.id"), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    reasons: Mapped[str] = mapped_column(Text)
    told_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    told_by_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DirectPaymentReturn(Base):
    """An account of one period of a direct payment, sent through the portal: what was
    spent by kind (JSON, pence) and its receipts (RequestFile). Saved first, with the
    back-office write queued in the outbox in the same transaction; `backoffice_id` and
    `received_at` are set once the council has it. `token` is the form's own id, so a
    form sent twice sends one return."""

    __tablename__ = "direct_payment_returns"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    token: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    period_id: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    spending: Mapped[str] = mapped_column(Text)
    told_by_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    told_by_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RequestFile(Base):
    """A file sent with a request to the council (a financial assessment's evidence, a
    direct-payment return's receipts): its content is kept until the council has it,
    then only its name."""

    __tablename__ = "request_files"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    request_id: Mapped[str] = mapped_column(String(36), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class SentMessage(Base):
    """A message someone sent the care team through the portal. Saved first, with the
    back-office write queued in the outbox in the same transaction, so it is kept while
    the back office is down; `backoffice_id` and `received_at` are set once the council
    has it, `refused_at` if it never will (the sender is told). `token` is the form's
    own id, so a form sent twice sends one message."""

    __tablename__ = "sent_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    token: Mapped[str] = mapped_column(String(36), unique=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(64))  # None: a new one
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sender_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    sender_name: Mapped[str] = mapped_column(String(200))
    backoffice_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SentAttachment(Base):
    """A file sent with a message: kept until the council has it."""

    __tablename__ = "sent_attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=_new_id)
    message_id: Mapped[str] = mapped_column(ForeignKey("sent_messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class CouncilMessage(Base):
    """A message the care team wrote, as the back office's feed names it (never what it
    says): to tell people it has come, and to count what each reader has not read."""

    __tablename__ = "council_messages"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageRead(Base):
    """That this account has read this message from the care team."""

    __tablename__ = "message_reads"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeedPosition(Base):
    """How far the portal has followed a feed of the back office's."""

    __tablename__ = "feed_positions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    next: Mapped[str] = mapped_column(String(40))


class MessageTally(Base):
    """How many messages went on one day (in Wales) by one channel in one language, and
    how many reached the person. Written as the outbox clears finished messages, so
    the public figures outlive the messages, with nobody's details in them."""

    __tablename__ = "message_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), primary_key=True)  # cy, en, cy+en
    sent: Mapped[int] = mapped_column(Integer, default=0)
    delivered: Mapped[int] = mapped_column(Integer, default=0)


class SendWindow(Base):
    """How many sends one lane of the outbox made in one window of time (starting at
    `starts`, seconds since the epoch): every worker takes its sends from here, so
    that together they keep under the rate the service allows."""

    __tablename__ = "send_windows"

    lane: Mapped[str] = mapped_column(String(20), primary_key=True)
    starts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sent: Mapped[int] = mapped_column(Integer)


class PublishedWeek(Base):
    """One dataset's rows for one week that is over (JSON), as first published: the
    public figures for a week never change after, whatever happens to the records
    behind them."""

    __tablename__ = "published_weeks"

    dataset: Mapped[str] = mapped_column(String(40), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    rows: Mapped[str] = mapped_column(Text)


class LogoutTokenSeen(Base):
    """A back-channel logout token the portal has acted on, kept by its jti until it
    can no longer be accepted (shared by every process), so that sent again it ends
    no session started since."""

    __tablename__ = "logout_tokens_seen"

    jti: Mapped[str] = mapped_column(String(255), primary_key=True)
    forget_after: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class PublishedFigures(Base):
    """The public data page's figures as last worked out, shared by every web process:
    worked out again at most once a minute, by whichever process claims it first."""

    __tablename__ = "published_figures"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str | None] = mapped_column(Text)  # JSON; None until first worked out
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Someone is working them out again until then; others serve what is here.
    refreshing_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VisitAlertSent(Base):
    """An alert about a visit sent to one address: one a visit, kind and address, so
    that a feed read twice, or by two workers at once, sends it once."""

    __tablename__ = "visit_alerts_sent"

    visit_id: Mapped[str] = mapped_column(String(80), primary_key=True)  # a record's key
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[str] = mapped_column(String(320), primary_key=True)


class NotesWithheld(Base):
    """Someone the council records as holding a legal authority over the person, from
    whom the person keeps visit notes and care workers' names (as a delegation's
    notes_withheld does for someone they let in)."""

    __tablename__ = "notes_withheld"

    person_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # a record's key
    holder_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # theirs
