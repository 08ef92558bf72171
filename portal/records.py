"""A care record's key in the portal: the council that holds it and the back office's
own id for it, as one value, `W06000002:p-1001` (the council's GSS code, a colon,
the id). Every row the portal stores about a record, every cached answer and every
address that names a record holds the key, so none can hold a record without its
council, and an id one back office gave is never taken to another: the back-office
client sends each call to the council the key names (portal.clients.backoffice).

Ids the back office gives for things it holds outside a record (a carer's
assessment request, a message in the council's feed) are keyed the same way."""

from __future__ import annotations

SEPARATOR = ":"


class NotAKey(ValueError):
    """A value that does not name a council and a record."""


def key(council: str, local_id: str) -> str:
    """The key of the record `local_id` at this council."""
    return f"{council}{SEPARATOR}{local_id}"


def split(record: str) -> tuple[str, str]:
    """The council's code and the back office's own id."""
    council, separator, local_id = record.partition(SEPARATOR)
    if not separator or not council or not local_id:
        raise NotAKey(record)
    return council, local_id


def council_of(record: str) -> str:
    """The code of the council that holds this record."""
    return split(record)[0]


def council_if_key(record: str | None) -> str | None:
    """The council of a record's key; None for no record, or for one that is not a key."""
    try:
        return council_of(record) if record else None
    except NotAKey:
        return None


def alongside(record: str, own_id: str) -> str:
    """The key of something the same council's back office named `own_id` (an
    invoice, a message) where the record alone says which council that is."""
    return key(council_of(record), own_id)
