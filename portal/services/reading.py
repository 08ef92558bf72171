"""Back-office reads started at once rather than one after another: a page that
needs several answers waits for the slowest, not for their sum. An answer already
kept (portal/clients/cache.py) is taken at once, on the request's own thread: only
what must be asked of the back office goes to another."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from typing import TypeVar

from portal.clients.cache import MISSING

T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="backoffice-read")


def start(call: Callable[..., T], *args: object) -> Future[T]:
    """The read's answer if it is kept, else the read started on the pool, in this
    request's context (its id goes too)."""
    answer_kept = getattr(getattr(call, "__self__", None), "answer_kept", None)
    if answer_kept is not None:
        found = answer_kept(call, *args)
        if found is not MISSING:
            done: Future[T] = Future()
            done.set_result(found)
            return done
    return _pool.submit(copy_context().run, call, *args)
