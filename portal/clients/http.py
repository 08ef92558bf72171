"""The one way this project builds an HTTP session for an external service."""

from __future__ import annotations

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "care-portal/0.1 (+https://github.com/)"


def build_session(read_retries: int = 2) -> requests.Session:
    """A Session that retries idempotent reads (GET, HEAD) on connection errors and
    502/503/504, with backoff; never a POST, which carries its own idempotency key."""
    session = requests.Session()
    retry = Retry(
        total=read_retries,
        connect=read_retries,
        read=read_retries,
        status=read_retries,
        backoff_factor=0.2,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=20)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session
