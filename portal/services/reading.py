"""Back-office reads started at once rather than one after another: a page that
needs several answers waits for the slowest, not for their sum."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import copy_context
from typing import TypeVar

T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="backoffice-read")


def start(call: Callable[..., T], *args: object) -> Future[T]:
    """Start a read on the pool, in this request's context (its id goes too)."""
    return _pool.submit(copy_context().run, call, *args)
