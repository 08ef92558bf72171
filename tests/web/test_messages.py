"""Messages with the care team: conversations and what is unread, a message with a
file sent once through the outbox (and kept while the council is down), the care
team's reply arriving with news that says nothing of what it says, files judged by
what they hold, and who may read and write."""

from __future__ import annotations

import base64
import io
import threading
from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import files
from portal.clock import utcnow
from portal.sandbox.backoffice.conversations import Conversations
from portal.sandbox.backoffice.documents import pdf
from portal.services import conversations
from portal.store.models import Account, OutboxMessage, SentMessage
from portal.worker import follower
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support import pdfs
from tests.support.journeys import deliver, post
from tests.web.test_access import carer_of_gwen

GWENS = "conv-p-1001-morning"


@pytest.fixture(autouse=True)
def talk(running_sandboxes: Any) -> Any:
    """The sandbox back office's conversations, as it starts them: whatever tests run
    before, in whatever order, had the care team say is gone."""
    back_office = running_sandboxes.back_office()
    back_office.conversations = Conversations(utcnow(), holding=back_office.people.keys())
    return back_office.conversations


def follow(app: Flask) -> None:
    """What the worker does every few seconds: note the care team's new messages."""
    follower(app.extensions["portal"], "W06000002")()


def send(client: FlaskClient, path: str, fields: dict[str, Any],
         file: tuple[bytes, str] | None = None) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf_token(client, path), **fields}
    if file is not None:
        data["attachment"] = (io.BytesIO(file[0]), file[1])
    return client.post(path, data=data, content_type="multipart/form-data")


def held_from_here(app: Flask, talk: Any, person_id: str) -> list[dict[str, Any]]:
    """The conversations in the sandbox back office (which every test and engine
    shares) holding a message this app sent."""
    with app.extensions["portal"].store.transaction() as db:
        ours = set(db.scalars(select(SentMessage.id)))
    return [c for c in talk.listed(person_id)
            if any(m["portal_reference"] in ours for m in c["messages"])]


def navigation_count(client: FlaskClient) -> str:
    item = page_of(client.get("/your-care")).find(
        class_="govuk-service-navigation__list").find("a", href="/messages")
    return " ".join(item.get_text(" ").split())


def unread_in_navigation(client: FlaskClient) -> int:
    said = navigation_count(client).split()
    return int(said[1]) if len(said) > 1 else 0


def test_gwen_reads_the_care_teams_reply_in_welsh_and_it_is_no_longer_new(
        app: Flask, client: FlaskClient, base_settings: Any) -> None:
    sign_in(client, "Gwen", "cy")
    follow(app)
    assert navigation_count(client).startswith("Negeseuon 1")
    inbox = visible_text(page_of(client.get("/messages")))
    assert "Newid amser yr ymweliad bore" in inbox and "1 newydd" in inbox
    page = page_of(client.get(f"/messages/{GWENS}"))
    reply = page.find(string=lambda s: s and "Bydd Bethan yn dod" in s)
    assert reply is not None and reply.parent["lang"] == "cy"
    assert navigation_count(client) == "Negeseuon"
    assert page_of(client.get("/your-care")).find(class_="portal-top-row__unread") is None


def test_news_of_unread_messages_is_in_sight_on_a_phone_too(
        app: Flask, client: FlaskClient) -> None:
    """On a phone the navigation folds into its menu: the top row, outside it, says
    how many messages have come (and, from a tablet up, the navigation does)."""
    sign_in(client, "Gwen", "cy")
    follow(app)
    news = page_of(client.get("/your-care")).find(class_="portal-top-row__unread")
    assert news is not None and news.find("a")["href"] == "/messages"
    assert news.get_text(strip=True) == "1 neges newydd"


def test_a_message_with_a_file_reaches_the_care_team_once_and_their_reply_is_news(
        app: Flask, notify: Any, talk: Any, base_settings: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    letter = pdf(["A letter from the hospital"])
    sent = send(eleri, "/messages/new", {"subject": "Letter from the hospital",
                                         "body": "Here is the letter.\nCan you add it?"},
                (letter, "letter.pdf"))
    assert sent.status_code == 302
    inbox = visible_text(page_of(eleri.get("/messages")))
    assert "Letter from the hospital" in inbox and "Sending to the care team" in inbox
    deliver(app)
    deliver(app)
    held = held_from_here(app, talk, "p-1003")
    assert len(held) == 1 and len(held[0]["messages"]) == 1
    assert held[0]["subject"] == "Letter from the hospital"
    message = held[0]["messages"][0]
    assert message["body"] == "Here is the letter.\nCan you add it?"
    attachment = message["attachments"][0]
    assert attachment["content_type"] == "application/pdf" and attachment["size"] == len(letter)

    page = page_of(eleri.get(f"/messages/{held[0]['id']}"))
    link = page.find("a", href=lambda h: h and h.endswith(attachment["id"]))
    download = eleri.get(link["href"])
    assert download.data == letter and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")

    follow(app)
    deliver(app)
    unread_before = unread_in_navigation(eleri)  # what the demo starts her with
    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1003/conversations/"
                  f"{held[0]['id']}/reply", json={"body": "Thank you, we have added it.",
                                                  "language": "en"}, timeout=5)
    notify.sent.clear()
    follow(app)
    deliver(app)
    news = [n for n in notify.sent if n.get("email_address") == "eleri.price@example.com"]
    assert [n["subject"] for n in news] == ["New message from the care team"]
    assert "Thank you" not in news[0]["body"] and "/messages" in news[0]["body"]
    follow(app)
    deliver(app)  # nothing new: no news again
    assert len([n for n in notify.sent if n.get("email_address") == "eleri.price@example.com"]) \
        == 1
    assert navigation_count(eleri).startswith(f"Messages {unread_before + 1}")


def test_a_carer_with_messages_reads_and_replies_for_gwen_and_is_named(
        app: Flask, talk: Any) -> None:
    gwen, sian, _ = carer_of_gwen(app, ["messages"])
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    assert "Newid amser yr ymweliad bore" in visible_text(page_of(sian.get("/messages")))
    replied = send(sian, f"/messages/{GWENS}", {"body": "Diolch yn fawr."})
    assert replied.status_code == 302
    deliver(app)
    last = talk.listed("p-1001")[0]["messages"][-1]
    assert last["body"] == "Diolch yn fawr." and last["sender_name"] == "Siân Morgan"
    log = visible_text(page_of(gwen.get("/who-has-looked-at-your-record")))
    assert "Read messages with the care team" in log


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00\x03" + b"\x00" * 200, "letter.pdf", "must be a PDF, JPG or PNG"),
    (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
     "form.pdf", "could run"),
    (b"%PDF-1.4\n1 0 obj << /AA << /O << /S /J#61vaScript >> >> >>", "hidden.pdf",
     "could run"),
    (b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "huge.jpg", "smaller than 10 MB"),
    (b"", "empty.png", "is empty"),
    (pdfs.in_object_stream(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                           [pdfs.SCRIPT]), "packed.pdf", "could run"),
    (b"%PDF-1.7\nonly the first bytes of one", "broken.pdf", "cannot be opened"),
])
def test_a_file_that_may_not_be_sent_is_refused_and_the_words_are_kept(
        app: Flask, client: FlaskClient, content: bytes, name: str, message: str) -> None:
    sign_in(client, "Eleri")
    refused = send(client, "/messages/new", {"subject": "A file", "body": "My words here"},
                   (content, name))
    assert refused.status_code == 400
    page = page_of(refused)
    assert message in page.find(class_="govuk-error-summary").get_text()
    assert page.find("textarea").get_text() == "My words here"
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SentMessage)) == 0


@pytest.mark.parametrize("given, kept", [
    ("scan\x00.png", "scan.png"),              # NUL, which PostgreSQL refuses in text
    ("invoice\u202egpj.exe", "invoicegpj.png"),  # reads as a JPG, is a program's name
    ("..", "file.png"),
    ("llun\u200b o'r llythyr.html", "llun-o-r-llythyr.png"),
])
def test_a_file_is_kept_and_sent_under_a_name_made_from_what_it_is(
        app: Flask, client: FlaskClient, talk: Any, given: str, kept: str) -> None:
    sign_in(client, "Eleri")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    sent = send(client, "/messages/new", {"subject": "A photo", "body": "Here it is"},
                (png, given))
    assert sent.status_code == 302
    deliver(app)
    conversation = held_from_here(app, talk, "p-1003")[-1]
    held = conversation["messages"][0]["attachments"][0]
    assert held["filename"] == kept and held["content_type"] == "image/png"
    shown = page_of(client.get(f"/messages/{conversation['id']}"))
    assert shown.find("a", download=True).get_text() == kept


def test_two_files_at_once_are_refused_and_nothing_is_lost(
        app: Flask, client: FlaskClient) -> None:
    sign_in(client, "Eleri", "cy")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    refused = client.post("/messages/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/messages/new"), "subject": "Dau", "body": "Fy ngeiriau",
        "attachment": [(io.BytesIO(png), "a.png"), (io.BytesIO(png), "b.png")]})
    assert refused.status_code == 400
    page = page_of(refused)
    assert "Dewiswch un ffeil" in page.find(class_="govuk-error-summary").get_text()
    assert page.find("textarea").get_text() == "Fy ngeiriau"
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SentMessage)) == 0


def test_a_file_whose_name_breaks_its_header_is_not_dropped_silently(
        app: Flask, client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    token = csrf_token(client, "/messages/new")
    fields = {"csrf_token": token, "subject": "Broken", "body": "My words"}
    parts = b"".join(b'--X\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                     % (k.encode(), v.encode()) for k, v in fields.items())
    parts += (b'--X\r\nContent-Disposition: form-data; name="attachment"; filename="a\nb.png"'
              b'\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\r\n--X--\r\n')
    refused = client.post("/messages/new", data=parts,
                          content_type="multipart/form-data; boundary=X")
    assert refused.status_code == 400
    assert "could not be read" in page_of(refused).find(class_="govuk-error-summary").get_text()
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SentMessage)) == 0


def test_each_mistake_is_explained_in_welsh(client: FlaskClient) -> None:
    sign_in(client, "Eleri", "cy")
    empty = send(client, "/messages/new", {"subject": " ", "body": ""})
    summary = page_of(empty).find(class_="govuk-error-summary").get_text()
    assert "Rhowch bwnc" in summary and "Rhowch eich neges" in summary


def test_messages_are_kept_while_the_council_is_down_and_sent_once_when_back(
        app: Flask, backoffice_faults: Any, talk: Any) -> None:
    """The drill: three messages sent while the back office is down."""
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    for n in range(3):
        backoffice_faults.set()
        token = csrf_token(eleri, "/messages/new")
        backoffice_faults.set(fail_status=503)
        sent = eleri.post("/messages/new", data={
            "csrf_token": token, "subject": f"Drill {n}", "body": f"Message {n}"},
            content_type="multipart/form-data")
        assert sent.status_code == 302
    deliver(app)  # every try fails: the council is down
    with app.extensions["portal"].store.transaction() as db:
        kept = db.scalar(select(func.count()).select_from(SentMessage))
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == conversations.SEND, OutboxMessage.status == "pending"))
    assert kept == 3 and waiting == 3
    down = visible_text(page_of(eleri.get("/messages")))
    assert "We cannot get messages from the council" in down
    assert all(f"Drill {n}" in down for n in range(3))
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    assert sorted(c["subject"] for c in held_from_here(app, talk, "p-1003")) == \
        ["Drill 0", "Drill 1", "Drill 2"]


def test_the_same_form_sent_twice_at_once_is_one_message(app: Flask) -> None:
    deps = app.extensions["portal"]
    client = app.test_client()
    sign_in(client, "Eleri")
    with deps.store.transaction() as db:
        account_id = db.scalar(select(Account.id).where(Account.person_id == "W06000002:p-1003"))
    upload = files.Upload("a.png", "image/png", b"\x89PNG\r\n\x1a\n")

    def once() -> None:
        conversations.send(deps.store, "W06000002:p-1003", account_id, "Eleri Price", None, "Twice",
                           "Sent twice", upload, "8a1f0c52-6a57-4c4c-9a0b-5e0d2d3f4e11",
                           utcnow())
    threads = [threading.Thread(target=once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with deps.store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SentMessage)) == 1


def test_a_reply_is_not_taken_while_the_council_cannot_say_whose_conversation_it_is(
        app: Flask, client: FlaskClient, backoffice_faults: Any) -> None:
    """Eleri replies to Gwen's conversation while the back office is down: it is not
    taken ("on its way") to be refused later; she is told, in her language, and her
    words are kept on the page to send again."""
    sign_in(client, "Eleri", "cy")
    token = csrf_token(client, "/messages/new")
    backoffice_faults.set(fail_status=503)
    held_back = client.post(f"/messages/{GWENS}", content_type="multipart/form-data", data={
        "csrf_token": token, "body": "Helo yno"})
    assert held_back.status_code == 503
    page = page_of(held_back)
    assert "Dydy eich ateb ddim wedi'i anfon eto" in page.find("h1").get_text()
    assert page.find("textarea").get_text() == "Helo yno"
    backoffice_faults.set()
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(SentMessage)) == 0
    assert send(client, f"/messages/{GWENS}", {"body": "Helo yno"}).status_code == 404


def test_a_message_the_council_refuses_later_is_shown_so_and_its_sender_is_told(
        app: Flask, notify: Any, backoffice_faults: Any, talk: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    sent = send(eleri, "/messages/new", {"subject": "Refused", "body": "Words to keep"})
    assert sent.status_code == 302
    notify.sent.clear()
    backoffice_faults.set(fail_status=400)  # the council refuses it, for good
    deliver(app)
    backoffice_faults.set()
    deliver(app)
    deliver(app)
    assert held_from_here(app, talk, "p-1003") == []  # never taken, never tried again
    inbox = visible_text(page_of(eleri.get("/messages")))
    assert "The care team could not take this message" in inbox and "Sending" not in inbox
    told = [n for n in notify.sent if n.get("email_address") == "eleri.price@example.com"]
    assert [n["subject"] for n in told] == ["The care team could not take your message"]
    assert "Words to keep" not in told[0]["body"] and "/messages" in told[0]["body"]
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(SentMessage.body)) == "Words to keep"


def test_a_reply_to_someone_elses_conversation_is_not_found(
        client: FlaskClient, backoffice_faults: Any) -> None:
    sign_in(client, "Eleri")
    backoffice_faults.set(fail_status=503)  # not even while the council cannot say
    assert send(client, f"/messages/{'x' * 65}", {"body": "Hello"}).status_code == 404
    backoffice_faults.set()
    assert client.get(f"/messages/{GWENS}").status_code == 404
    assert send(client, f"/messages/{GWENS}", {"body": "Hello"}).status_code == 404
    attached = base64.b64encode(b"x").decode()
    assert attached and client.get(f"/messages/{GWENS}/msg-x/att-x").status_code == 404


def test_the_care_team_is_named_in_the_page_s_language_and_welsh_words_are_marked(
        app: Flask, base_settings: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "en")
    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1001/conversations/"
                  f"{GWENS}/reply", json={"body": "Diolch, Gwen.", "language": "cy"}, timeout=5)
    page = page_of(gwen.get(f"/messages/{GWENS}"))
    assert page.find("h1").find("span", lang="cy").get_text() == "Newid amser yr ymweliad bore"
    names = [h.get_text(" ", strip=True) for h in page.find_all("h2", class_="govuk-heading-s")]
    assert any(n.startswith("Care team") for n in names)
    assert not any("/" in n for n in names)
    inbox = page_of(gwen.get("/messages"))
    assert inbox.find("a", href=f"/messages/{GWENS}")["lang"] == "cy"
    gwen.get("/language/cy")
    welsh = page_of(gwen.get(f"/messages/{GWENS}"))
    assert any(h.get_text(" ", strip=True).startswith("Tîm gofal")
               for h in welsh.find_all("h2", class_="govuk-heading-s"))


def test_a_long_conversation_and_a_full_inbox_are_shown_a_page_at_a_time(
        app: Flask, talk: Any) -> None:
    now = utcnow()
    owen = "p-1004"  # as the council knows him
    for n in range(24):
        talk.send(owen, {"conversation_id": None, "subject": f"Pwnc {n:02d}", "body": "Helo",
                         "attachments": [], "sender_name": "Owen Jenkins",
                         "portal_reference": None}, now - timedelta(days=30, minutes=n))
    long = talk.send(owen, {"conversation_id": None, "subject": "Sgwrs hir", "body": "Dechrau",
                            "attachments": [], "sender_name": "Owen Jenkins",
                            "portal_reference": None}, now - timedelta(hours=2))
    for n in range(45):
        talk.reply(owen, long["conversation_id"], f"Ateb rhif {n:02d}", "cy",
                   now - timedelta(minutes=60 - n))
    follow(app)  # the care team's replies are news
    client = app.test_client()
    sign_in(client, "Owen")
    every = len(talk.listed(owen))

    first = page_of(client.get("/messages"))
    listed = first.find_all(class_="portal-conversations__item")
    assert len(listed) == 20 and "Sgwrs hir" in listed[0].get_text()
    pages = first.find("nav", class_="govuk-pagination")
    assert pages["aria-label"] == "Pages of your messages"
    assert pages.find("a", rel="next")["href"] == "/messages?page=2"
    last = (every + 19) // 20
    assert len(page_of(client.get(f"/messages?page={last}")).find_all(
        class_="portal-conversations__item")) == every - 20 * (last - 1)
    assert page_of(client.get("/messages?page=999")).find(
        "a", attrs={"aria-current": "page"}).get_text(strip=True) == str(last)

    address = f"/messages/{long['conversation_id']}"
    newest = page_of(client.get(address))
    shown = [m.find(class_="portal-message__body").get_text() for m in
             newest.find_all(class_="portal-message")]
    assert shown == [f"Ateb rhif {n:02d}" for n in range(25, 45)]  # the newest, oldest first
    assert "Page 1 of 3." in visible_text(newest)
    earlier = newest.find("a", rel="prev")
    assert "Earlier messages" in earlier.get_text() and earlier["href"] == f"{address}?page=2"
    assert newest.find("a", rel="next") is None
    # What page 1 showed is read; what it did not show is still new.
    before = page_of(client.get(earlier["href"]))
    shown = [m.find(class_="portal-message__body").get_text() for m in
             before.find_all(class_="portal-message")]
    assert shown == [f"Ateb rhif {n:02d}" for n in range(5, 25)]
    assert len(before.find_all("strong", string=lambda s: s and "New" in s)) == 20
    oldest = page_of(client.get(f"{address}?page=3"))
    shown = [m.find(class_="portal-message__body").get_text() for m in
             oldest.find_all(class_="portal-message")]
    assert shown == ["Dechrau"] + [f"Ateb rhif {n:02d}" for n in range(5)]
    assert oldest.find("a", rel="prev") is None
    later = oldest.find("a", rel="next")
    assert "Later messages" in later.get_text() and later["href"] == f"{address}?page=2"
    welsh = page_of(client.get(f"/language/cy?next={address}?page=2", follow_redirects=True))
    assert "Tudalen 2 o 3." in visible_text(welsh)
    assert welsh.find("nav", class_="govuk-pagination")["aria-label"] == \
        "Tudalennau'r sgwrs hon"
