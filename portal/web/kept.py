"""What a process works out once and hands to every request that asks the same (a
drawing of the latest figures, the open data as written, its compressed form)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `most` answers, by key, made when first asked for. What is kept belongs
    to the latest version of something, so when full every answer is forgotten at
    once and the current ones are made again as they are asked for."""

    def __init__(self, most: int) -> None:
        self.most = most
        self._answers: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        found = self._answers.get(key)
        if found is None:
            found = make()  # outside the lock: two threads may both make it, once each
            with self._lock:
                if len(self._answers) >= self.most:
                    self._answers.clear()
                self._answers[key] = found
        return found
