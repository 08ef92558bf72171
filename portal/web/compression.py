"""Pages, and the open data, compressed on their way: brotli or gzip, whichever the
browser accepts (brotli first), in every mode. The built CSS and JavaScript are
compressed once when built and sent as they are (portal.web.assets).

A compressed page that holds a secret beside words an attacker can choose (BREACH)
gives the secret away, a guess at a time, by its length. The only secret a page
holds is the form token, and it is masked afresh in every response
(portal.web.security.masked_form_token), so every page may be compressed."""

from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

from portal.web.kept import Kept

# What is worth compressing: words and figures, not files (a PDF or a photo is
# compressed already, or sent as the council holds it).
KINDS = {"text/html", "text/csv", "text/plain", "text/calendar", "application/json",
         "application/ld+json", "application/csvm+json", "image/svg+xml"}
SMALLEST = 500  # bytes: below this, the headers cost more than is saved
BROTLI_QUALITY = 5  # quick enough for every response, close to the best for HTML
GZIP_LEVEL = 6
# A response with a strong ETag is the same bytes whoever asks for its address (the
# open data): its compressed form is kept, by address, ETag and encoding, rather
# than made for each asker.
_compressed: Kept[bytes] = Kept(most=200)


def chosen_encoding(accepted: str) -> str | None:
    """br or gzip, as the browser's Accept-Encoding allows (q=0 refuses one)."""
    parsed = _parsed(accepted)
    allowed = {name for name, quality in parsed if quality > 0}
    refused = {name for name, quality in parsed if quality == 0}
    for encoding in ("br", "gzip"):
        if encoding in allowed or ("*" in allowed and encoding not in refused):
            return encoding
    return None


def _parsed(accepted: str) -> list[tuple[str, float]]:
    found = []
    for part in accepted.split(","):
        name, _, parameters = part.strip().partition(";")
        quality = 1.0
        key, _, value = parameters.strip().partition("=")
        if key.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if name:
            found.append((name.strip().lower(), quality))
    return found


def install(app: Flask) -> None:
    @app.after_request
    def _compress(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if (response.direct_passthrough or response.is_streamed
                or response.mimetype not in KINDS or "Content-Encoding" in response.headers
                or request.method == "HEAD" or response.status_code in (204, 304)):
            return response
        encoding = chosen_encoding(request.headers.get("Accept-Encoding", ""))
        body = response.get_data()
        if encoding is None or len(body) < SMALLEST:
            return response
        etag, weak = response.get_etag()
        compressed = _compressed.get((request.base_url, etag, encoding),
                                     lambda: _compress_body(body, encoding)) \
            if etag and not weak else _compress_body(body, encoding)
        response.set_data(compressed)
        response.headers["Content-Encoding"] = encoding
        if etag and not weak:  # the same content, not the same bytes
            response.set_etag(etag, weak=True)
        return response


def _compress_body(body: bytes, encoding: str) -> bytes:
    return (brotli.compress(body, quality=BROTLI_QUALITY) if encoding == "br"
            else gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
