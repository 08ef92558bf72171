"""What every page a test renders must be, whatever the test is about (in the spirit
of notifications-admin's client_request): valid HTML, one h1 that the title begins
with, the page's language, a description, no duplicate ids, a nonce on every script, no markup
shown as text, and times a browser can read."""

from __future__ import annotations

import gzip
import re
from collections import Counter

import brotli
import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.wrappers import Response

MARKUP_AS_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# HTML's valid date, time or date-and-time strings: at most 3 digits of a second.
HTML_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?)?$|^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$")
ERROR_PREFIXES = ("Error: ", "Gwall: ")


def body_of(response: Response) -> bytes:
    """The body as sent, decompressed if it was sent compressed."""
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def problems_with(response: Response) -> list[str]:
    """Everything wrong with an HTML page as served; an empty list for a good one."""
    html = body_of(response).decode()
    found = []
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    found += [f"invalid HTML at line {line}, column {column}: {error} {values or ''}"
              for (line, column), error, values in parser.errors]
    page = BeautifulSoup(html, "html.parser")
    if page.html is None or page.html.get("lang") not in ("en", "cy"):
        found.append("html has no lang of en or cy")
    headings = page.find_all("h1")
    if len(headings) != 1:
        found.append(f"{len(headings)} h1 elements, not one")
    else:
        title = page.title.get_text(" ", strip=True) if page.title else ""
        for prefix in ERROR_PREFIXES:
            title = title.removeprefix(prefix)
        heading = " ".join(headings[0].get_text(" ", strip=True).split())
        if not " ".join(title.split()).startswith(heading):
            found.append(f"title {title!r} does not begin with the h1 {heading!r}")
    description = page.find("meta", attrs={"name": "description"})
    if description is None or len(description.get("content", "").strip()) < 50:
        found.append("no meta description of a sentence or more")
    ids = Counter(str(tag["id"]) for tag in page.find_all(id=True))
    found += [f"id {name!r} is used {count} times" for name, count in ids.items() if count > 1]
    nonce = re.search(r"'nonce-([^']+)'", response.headers.get("Content-Security-Policy", ""))
    for script in page.find_all("script"):
        if nonce is None or script.get("nonce") != nonce.group(1):
            found.append(f"a script without the page's nonce: {str(script)[:80]}")
    for time in page.find_all("time"):
        if not HTML_TIME.match(str(time.get("datetime", ""))):
            found.append(f"time datetime {time.get('datetime')!r} is not an HTML time")
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    shown = MARKUP_AS_TEXT.findall(page.get_text(" "))
    if shown:
        found.append(f"markup shown as text: {shown[:3]}")
    return found


class CheckedClient(FlaskClient):
    """A test client that checks every HTML page it is given."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code not in range(300, 400) \
                and response.get_data():
            problems = problems_with(response)
            assert not problems, f"{response.request.path}: " + "; ".join(problems)
        return response
