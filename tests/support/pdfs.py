"""PDFs made byte by byte, the ways a real file may hide what it holds: its objects
compressed inside an object stream with a cross-reference stream (PDF 1.5), a later
revision added by an incremental update, names written in #xx escapes."""

from __future__ import annotations

import zlib

PAGE = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]
SCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


def classic(catalog: bytes = b"<< /Type /Catalog /Pages 2 0 R >>",
            extra: list[bytes] | None = None) -> bytes:
    """Objects written plainly, with a classic cross-reference table."""
    objects = [catalog, *PAGE, *(extra or [])]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return bytes(out + _table(offsets, len(objects) + 1, b"/Root 1 0 R", len(out)))


def in_object_stream(catalog: bytes, extra: list[bytes] | None = None) -> bytes:
    """Every object but the streams that hold them inside one compressed object stream,
    found through a compressed cross-reference stream: what a raw search cannot read."""
    objects = [catalog, *PAGE, *(extra or [])]
    header, body = bytearray(), bytearray()
    for number, content in enumerate(objects, start=1):
        header += b"%d %d " % (number, len(body))
        body += content + b"\n"
    packed = zlib.compress(bytes(header + body))
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_number = len(objects) + 1
    stream_at = len(out)
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (stream_number, len(objects), len(header), len(packed))
            + packed + b"\nendstream\nendobj\n")
    xref_number = stream_number + 1
    xref_at = len(out)
    rows = [b"\x00\x00\x00\x00\xff\xff"]  # object 0: free
    rows += [b"\x02" + stream_number.to_bytes(4, "big") + index.to_bytes(1, "big")
             for index in range(len(objects))]
    rows += [b"\x01" + stream_at.to_bytes(4, "big") + b"\x00",
             b"\x01" + xref_at.to_bytes(4, "big") + b"\x00"]
    table = zlib.compress(b"".join(rows))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % (xref_number, xref_number + 1, len(table))
            + table + b"\nendstream\nendobj\n")
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref_at)


def updated(original: bytes, catalog: bytes, extra: list[bytes] | None = None) -> bytes:
    """An incremental update: a new revision of the catalogue (and new objects) added
    after the end of a classic file, with a cross-reference section of its own."""
    previous = int(original.rsplit(b"startxref", 1)[1].split()[0])
    out = bytearray(original)
    first_new = 1 + len(PAGE) + 1 + 10  # well after anything the original holds
    offsets = {1: len(out)}
    out += b"1 0 obj\n" + catalog + b"\nendobj\n"
    for n, body in enumerate(extra or [], start=first_new):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    at = len(out)
    out += b"xref\n"
    for number, offset in offsets.items():
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(offsets) + 1, previous, at)
    return bytes(out)


def _table(offsets: list[int], size: int, root: bytes, at: int) -> bytes:
    rows = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return (b"xref\n0 %d\n0000000000 65535 f \n" % size + rows
            + b"trailer\n<< /Size %d " % size + root + b" >>\nstartxref\n%d\n%%%%EOF\n" % at)
