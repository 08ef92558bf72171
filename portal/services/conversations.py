"""Messages with the care team: conversations read from the back office, messages
(and a file with each) sent through the outbox, the care team's new messages
followed from the back office's feed, and what each reader has not read.

A message is saved first, with its back-office write queued in the outbox in the
same transaction, so it is kept while the back office is down and sent once. News
that a message has come never says what it says (it may be read on a locked phone)."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import files, records
from portal.clients.backoffice import BackOfficeClient, Conversation, Message
from portal.clients.errors import BackOfficeUnavailable, ServiceError, ServiceUnavailable
from portal.files import Upload
from portal.services import contact, outbox, paging
from portal.store import Store
from portal.store.models import (
    CouncilMessage,
    FeedPosition,
    MessageRead,
    SentAttachment,
    SentMessage,
)

log = logging.getLogger(__name__)
SEND = "message-send"  # the outbox's name for "give the message to the care team"
FEED = "messages-from-council"
LONGEST_MESSAGE = 5000
LONGEST_SUBJECT = 200
LONGEST_ID = 64  # of a conversation, as the portal keeps it
# A new conversation not yet with the council is shown under this id.
SENDING = "sending-"


@dataclass(frozen=True)
class FileView:
    id: str | None  # None until the council has it
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MessageView:
    id: str
    sender: str  # person (or someone for them) or council
    sender_name: str
    sent_at: datetime
    body: str
    language: str | None
    files: list[FileView]
    sending: bool = False  # kept by the portal, not yet with the council
    refused: bool = False  # kept by the portal, and refused by the council
    unread: bool = False   # from the care team, and not yet read by this reader
    sender_names: dict[str, str] = field(default_factory=dict)  # in cy and en, if known

    def name_in(self, language: str) -> str:
        """The sender's name in this language where the council has it in both."""
        return self.sender_names.get(language, self.sender_name)


@dataclass(frozen=True)
class ConversationView:
    id: str
    subject: str
    messages: list[MessageView]  # oldest first
    subject_language: str | None = None  # where the council knows it
    # A long conversation is shown a page at a time: page 1 the newest messages.
    page: int = 1
    pages: int = 1

    @property
    def unread(self) -> int:
        return sum(m.unread for m in self.messages)


@dataclass(frozen=True)
class Inbox:
    conversations: list[ConversationView]  # the latest message first: this page of them
    council_unavailable: bool  # then only what was sent from here and not yet taken
    page: int = 1
    pages: int = 1

    @property
    def neighbours(self) -> list[int | None]:
        return paging.neighbours(self.page, self.pages)


def send(store: Store, person_id: str, account_id: str, sender_name: str,
         conversation_id: str | None, subject: str | None, body: str,
         upload: Upload | None, token: str, now: datetime) -> None:
    """Keep the message (and its file) and queue it for the care team, in one
    transaction. `token` is the form's own id: sent twice, even at once, one message."""
    if not body or len(body) > LONGEST_MESSAGE or (conversation_id is None and not subject):
        raise ValueError("a message needs words, and a new conversation a subject")
    try:
        with store.transaction() as db:
            if db.scalar(select(SentMessage.id).where(SentMessage.token == token)):
                return
            row = SentMessage(token=token, person_id=person_id, conversation_id=conversation_id,
                              subject=subject, body=body, sender_account_id=account_id,
                              sender_name=sender_name, created_at=now)
            db.add(row)
            db.flush()
            if upload is not None:
                db.add(SentAttachment(message_id=row.id, filename=upload.filename,
                                      content_type=upload.content_type, content=upload.content))
            outbox.enqueue(db, "backoffice", SEND, row.id, {}, about=f"message:{row.id}")
    except IntegrityError:  # the same form, sent at the same moment, got there first
        with store.transaction() as db:
            if db.scalar(select(SentMessage.id).where(SentMessage.token == token)) is None:
                raise


def deliver(store: Store, backoffice: BackOfficeClient, message_id: str, service_url: str,
            now: datetime) -> None:
    """Give the message to the care team, then note that it has it (and let go of its
    file, which the council now keeps). Safe to run any number of times: the write
    carries an Idempotency-Key, and a message the council has is not noted again.
    If the council refuses it (for good, not while it is down), the message is marked
    so and its sender told, and the refusal raised for the outbox to record."""
    with store.transaction() as db:
        row = db.get(SentMessage, message_id)
        if row is None or row.backoffice_id is not None or row.refused_at is not None:
            return
        person_id = row.person_id
        attached = db.scalars(select(SentAttachment).where(
            SentAttachment.message_id == message_id)).all()
        body = {"conversation_id": row.conversation_id, "subject": row.subject,
                "body": row.body, "sender_name": row.sender_name, "portal_reference": row.id,
                "attachments": [{"filename": a.filename, "content_type": a.content_type,
                                 "data": base64.b64encode(a.content or b"").decode("ascii")}
                                for a in attached]}
    try:
        held = backoffice.send_message(person_id, body, f"{message_id}-send")
    except ServiceUnavailable:
        raise
    except ServiceError:
        _not_taken(store, message_id, service_url, now)
        raise
    with store.transaction() as db:
        row = outbox.record_received(db, SentMessage, message_id, held.id)
        if row is not None:
            row.conversation_id = held.conversation_id
            for attachment in db.scalars(select(SentAttachment).where(
                    SentAttachment.message_id == message_id)):
                attachment.content = None


def inbox(store: Store, backoffice: BackOfficeClient, person_id: str, account_id: str,
          page: int = 1) -> Inbox:
    """The person's conversations, the latest first, a page at a time, with what this
    reader has not read; without the back office, the messages sent from here it has
    not taken. Only the page's conversations are looked at closely."""
    with store.transaction() as db:
        waiting = _waiting(db, person_id)
    try:
        held = backoffice.list_conversations(person_id).conversations
    except BackOfficeUnavailable:
        only_ours = paging.page_of([_new_one(m) for m in waiting], page)
        return Inbox(only_ours.items, True, only_ours.page, only_ours.pages)
    Entry = tuple[datetime, Conversation | SentMessage, list[SentMessage]]
    entries: list[Entry] = []
    for each in held:
        sent_since = [m for m in waiting if m.conversation_id == each.id]
        last = sent_since[-1].created_at if sent_since else each.messages[-1].sent_at
        entries.append((last, each, sent_since))
    entries += [(m.created_at, m, []) for m in waiting if m.conversation_id is None]
    shown = paging.page_of(sorted(entries, key=lambda e: e[0], reverse=True), page)
    on_page = [entry[1] for entry in shown.items]
    read = _read_by(store, account_id, person_id,
                    [m for c in on_page if isinstance(c, Conversation) for m in c.messages])
    return Inbox([_view(c, read, sent_since) if isinstance(c, Conversation) else _new_one(c)
                  for _, c, sent_since in shown.items], False, shown.page, shown.pages)


def conversation(store: Store, backoffice: BackOfficeClient, person_id: str,
                 account_id: str, conversation_id: str, now: datetime,
                 page: int = 1) -> ConversationView:
    """One of the person's conversations, a page of it: page 1 the newest messages,
    page 2 those before, and so on, each page oldest first. As this reader finds it
    (what they had not read marked so), and what it shows now read by them.
    LookupError if it is not the person's."""
    held = next((c for c in backoffice.list_conversations(person_id).conversations
                 if c.id == conversation_id), None)
    if held is None:
        raise LookupError(conversation_id)
    with store.transaction() as db:
        waiting = [m for m in _waiting(db, person_id) if m.conversation_id == conversation_id]
    every: list[Message | SentMessage] = [*held.messages, *waiting]
    shown = paging.page_of(every[::-1], page)
    items = shown.items[::-1]
    read = _read_by(store, account_id, person_id, [m for m in items if isinstance(m, Message)])
    views = [_message(m, read) if isinstance(m, Message) else _sending(m) for m in items]
    _note_read(store, account_id, person_id, [m.id for m in views if m.sender == "council"],
               now)
    return ConversationView(held.id, held.subject, views, held.subject_language, shown.page,
                            shown.pages)


def theirs(backoffice: BackOfficeClient, person_id: str, conversation_id: str) -> bool:
    """Whether this is one of the person's conversations; BackOfficeUnavailable when
    the council cannot say (then nothing may be sent to it)."""
    return any(c.id == conversation_id
               for c in backoffice.list_conversations(person_id).conversations)


def attachment(backoffice: BackOfficeClient, person_id: str, conversation_id: str,
               message_id: str, attachment_id: str) -> tuple[str, str, bytes]:
    """A file in one of the person's conversations: its name, its kind as its content
    shows it, and the file. LookupError if there is no such file of theirs."""
    held = next((c for c in backoffice.list_conversations(person_id).conversations
                 if c.id == conversation_id), None)
    message = next((m for m in held.messages if m.id == message_id), None) if held else None
    found = next((a for a in message.attachments if a.id == attachment_id), None) \
        if message else None
    if found is None:
        raise LookupError(attachment_id)
    content = backoffice.attachment_content(person_id, message_id, attachment_id)
    kind = files.kind_of(content)
    return files.download_name(found.filename.rsplit(".", 1)[0], kind), kind, content


_UNREAD = select(func.count()).select_from(CouncilMessage).where(
    CouncilMessage.person_id == bindparam("person_id"),
    CouncilMessage.id.not_in(select(MessageRead.message_id).where(
        MessageRead.account_id == bindparam("account_id"))))


def unread(store: Store, person_id: str, account_id: str) -> int:
    """How many of the care team's messages to the person this reader has not read
    (asked on every signed-in page, for the navigation)."""
    with store.reading() as connection:
        return int(connection.scalar(
            _UNREAD, {"person_id": person_id, "account_id": account_id}) or 0)


def follow_council(store: Store, backoffice: BackOfficeClient, council: str,
                   service_url: str, today: date) -> int:
    """Note the care team's new messages from this council's feed, and tell whoever
    may read them that a message has come, once a person however many came. Returns
    how many were new. Safe for several workers: one notes each batch."""
    feed_name = f"{FEED}:{council}"
    with store.transaction() as db:
        position = db.get(FeedPosition, feed_name)
        after = position.next if position else None
    feed = backoffice.messages_from_council(council, after)
    if not feed.messages and position is not None:
        return 0
    people = {m.person_id for m in feed.messages}
    to_tell = {pid: contact.recipients_about(store, backoffice, pid, today, scope="messages")
               for pid in people}
    try:
        with store.transaction() as db:
            position = db.get(FeedPosition, feed_name, with_for_update=True)
            if (position.next if position else None) != after:
                return 0  # another worker noted this batch
            if position is None:
                db.add(FeedPosition(name=feed_name, next=feed.next))
            else:
                position.next = feed.next
            new = [m for m in feed.messages if db.get(CouncilMessage, m.id) is None]
            for m in new:
                db.add(CouncilMessage(id=m.id, person_id=m.person_id,
                                      conversation_id=m.conversation_id, sent_at=m.sent_at))
            for pid in {m.person_id for m in new}:
                _tell(db, to_tell[pid], service_url)
    except IntegrityError:
        return 0  # another worker noted it first
    for pid in {m.person_id for m in new}:
        backoffice.forget(pid)  # their conversations as kept lack the new message
    return len(new)


# Inside the module ------------------------------------------------------------

def _not_taken(store: Store, message_id: str, service_url: str, now: datetime) -> None:
    """The council refused the message: keep it, marked so, and tell its sender, once."""
    with store.transaction() as db:
        row = db.get(SentMessage, message_id, with_for_update=True)
        if row is None or row.refused_at is not None:
            return
        row.refused_at = now
        log.warning("the council refused message %s", message_id)
        url = service_url.rstrip("/") + "/messages"
        for to in contact.recipients_in(db, None, [row.sender_account_id]):
            outbox.tell(db, to, "message-not-taken", lambda _: {"url": url},
                        about=f"message:{message_id}")


def _waiting(db: Session, person_id: str) -> list[SentMessage]:
    """Messages sent from here that the council has not taken yet (or refused), oldest
    first."""
    rows = list(db.scalars(select(SentMessage).where(
        SentMessage.person_id == person_id, SentMessage.backoffice_id.is_(None))
        .order_by(SentMessage.created_at)))
    names = {a.message_id: a for a in db.scalars(select(SentAttachment).where(
        SentAttachment.message_id.in_([r.id for r in rows])))}
    for row in rows:
        row.attached = names.get(row.id)  # type: ignore[attr-defined]
        db.expunge(row)
    return rows


def _read_by(store: Store, account_id: str, person_id: str, messages: list[Message]
             ) -> set[str]:
    """Which of these messages from the care team this reader has read (the back
    office's ids; the portal keeps each keyed by the council, as its feed names it)."""
    ids = {records.alongside(person_id, m.id): m.id for m in messages
           if m.sender == "council"}
    if not ids:
        return set()
    with store.transaction() as db:
        return {ids[k] for k in db.scalars(select(MessageRead.message_id).where(
            MessageRead.account_id == account_id, MessageRead.message_id.in_(ids)))}


def _note_read(store: Store, account_id: str, person_id: str, own_ids: list[str],
               now: datetime) -> None:
    ids = [records.alongside(person_id, i) for i in own_ids]
    if not ids:
        return
    try:
        with store.transaction() as db:
            known = set(db.scalars(select(MessageRead.message_id).where(
                MessageRead.account_id == account_id, MessageRead.message_id.in_(ids))))
            db.add_all(MessageRead(account_id=account_id, message_id=i, read_at=now)
                       for i in ids if i not in known)
    except IntegrityError:
        pass  # the same page, opened twice at once, noted it first


def _view(held: Conversation, read: set[str], waiting: list[SentMessage]) -> ConversationView:
    return ConversationView(held.id, held.subject,
                            [*(_message(m, read) for m in held.messages),
                             *(_sending(m) for m in waiting)], held.subject_language)


def _message(m: Message, read: set[str]) -> MessageView:
    return MessageView(m.id, m.sender, m.sender_name, m.sent_at, m.body, m.language,
                       [FileView(a.id, a.filename, a.content_type, a.size)
                        for a in m.attachments],
                       unread=m.sender == "council" and m.id not in read,
                       sender_names=m.sender_names)


def _sending(row: SentMessage) -> MessageView:
    attached: SentAttachment | None = getattr(row, "attached", None)
    return MessageView(row.id, "person", row.sender_name, row.created_at, row.body, None,
                       [FileView(None, attached.filename, attached.content_type,
                                 len(attached.content or b""))] if attached else [],
                       sending=row.refused_at is None, refused=row.refused_at is not None)


def _new_one(row: SentMessage) -> ConversationView:
    return ConversationView(SENDING + row.id, row.subject or "", [_sending(row)])


def _tell(db: Session, recipients: list[contact.Recipient], service_url: str) -> None:
    for to in recipients:
        outbox.tell(db, to, "message-arrived",
                    lambda _: {"url": service_url.rstrip("/") + "/messages"},
                    about="message-arrived")
