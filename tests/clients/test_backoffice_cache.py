"""Back-office reads kept for a short time in a shared cache, forgotten for a person
by any write for them, never kept when they fail; the answers keep their "as of".
Counted at the sandbox back office, over real HTTP."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from cachelib import RedisCache

from portal import clock
from portal.clients.backoffice import BackOfficeClient
from portal.clients.cache import CachedBackOfficeClient, make_cache
from portal.clients.errors import BackOfficeUnavailable, NotFound
from portal.councils import BackOffice
from tests.support.settings import back_offices

GWEN, OWEN, SIAN = "W06000002:p-1001", "W06000002:p-1004", "W06000002:p-2001"
STORES = ["memory://"] + ([os.environ["TEST_REDIS_URL"]] if os.environ.get("TEST_REDIS_URL")
                          else [])


@pytest.fixture(params=STORES, ids=lambda url: url.split(":")[0])
def clients(request: pytest.FixtureRequest, base_settings: Any,
            running_sandboxes: Any) -> Iterator[tuple[CachedBackOfficeClient, ...]]:
    """Two clients on one cache, as a web process and an outbox worker have."""
    # Each test its own part of the cache, as if each were a different back office.
    cache = make_cache(request.param, {str(uuid.uuid4()): BackOffice(base_settings.BACKOFFICE_URL,
                                                                      "")})
    assert cache is not None
    yield tuple(CachedBackOfficeClient(back_offices(base_settings), 1, 1, cache, 30)
                for _ in range(2))


@pytest.fixture
def calls(running_sandboxes: Any) -> Any:
    seen = running_sandboxes.back_office().request_ids
    seen.clear()
    return seen


def test_a_read_is_kept_with_its_as_of_and_read_again_after_30_seconds(
        clients: tuple[CachedBackOfficeClient, ...], calls: Any) -> None:
    web, _ = clients
    first = web.get_charges(GWEN)
    assert web.get_charges(GWEN) == first  # the same answer, as of the same moment
    assert web.get_person(GWEN) == web.get_person(GWEN)
    assert web.get_care_plan(OWEN) is None and web.get_care_plan(OWEN) is None  # no plan, kept
    assert len(calls) == 3
    if isinstance(web.cache, RedisCache):  # Redis keeps time itself: the key expires in 30 s
        keys = web.cache._read_client.keys(web.cache.key_prefix + GWEN + ":charges")
        assert [0 < web.cache._read_client.ttl(key) <= 30 for key in keys] == [True]
        return
    with time_machine.travel(clock.utcnow() + timedelta(seconds=31), tick=False):
        web.get_charges(GWEN)
    assert len(calls) == 4


def test_a_write_for_a_person_forgets_them_in_every_process_and_no_one_else(
        clients: tuple[CachedBackOfficeClient, ...], calls: Any) -> None:
    web, worker = clients
    web.list_review_bookings(GWEN)
    web.list_authorities_held(SIAN)
    assert len(calls) == 2
    # The worker's write for Gwen (here one the back office refuses: it may still have
    # been made, so it counts).
    with pytest.raises(NotFound):
        worker.cancel_review(GWEN, "rb-nonexistent", idempotency_key=str(uuid.uuid4()))
    assert len(calls) == 3
    web.list_review_bookings(GWEN)
    web.list_authorities_held(SIAN)
    assert len(calls) == 4  # Gwen's bookings read afresh; Siân's authorities still kept


def test_a_failure_is_never_kept(clients: tuple[CachedBackOfficeClient, ...],
                                 backoffice_faults: Any) -> None:
    web, _ = clients
    backoffice_faults.set(fail_status=503)
    with pytest.raises(BackOfficeUnavailable):
        web.get_person(GWEN)
    backoffice_faults.set()
    assert web.get_person(GWEN).full_name == "Gwen Morgan"


def test_invoices_and_review_slots_are_always_read_afresh(
        clients: tuple[CachedBackOfficeClient, ...], calls: Any) -> None:
    web, _ = clients
    invoice = web.get_charges(GWEN).invoices[0]
    today = clock.today()
    for _ in range(2):
        web.get_invoice(GWEN, invoice.id)
        web.list_review_slots(GWEN, today, today + timedelta(days=14))
    assert len(calls) == 5


def test_an_uncached_client_reads_every_time(base_settings: Any, running_sandboxes: Any,
                                             calls: Any) -> None:
    plain = BackOfficeClient(back_offices(base_settings))
    plain.get_person(GWEN)
    plain.get_person(GWEN)
    assert len(calls) == 2


def test_the_authorities_someone_holds_are_kept_five_minutes(
        clients: tuple[CachedBackOfficeClient, ...], calls: Any) -> None:
    web, _ = clients
    web.list_authorities_held(SIAN)
    if isinstance(web.cache, RedisCache):  # Redis keeps time itself: the key lasts 5 minutes
        keys = web.cache._read_client.keys(web.cache.key_prefix + SIAN + ":authorities-held")
        assert [30 < web.cache._read_client.ttl(key) <= 300 for key in keys] == [True]
        return
    for seconds, expected in ((31, 1), (299, 1), (301, 2)):
        with time_machine.travel(clock.utcnow() + timedelta(seconds=seconds), tick=False):
            web.list_authorities_held(SIAN)
        assert len(calls) == expected, seconds


def test_a_page_takes_a_kept_answer_on_its_own_thread_and_asks_afresh_after_a_write(
        clients: tuple[CachedBackOfficeClient, ...], calls: Any) -> None:
    from portal.services.reading import start

    web, _ = clients
    asked = start(web.get_person, GWEN)
    person = asked.result()
    assert len(calls) == 1
    kept = start(web.get_person, GWEN)
    assert kept.done() and kept.result() == person and len(calls) == 1  # no other thread
    web.forget(GWEN)  # as any write for her does
    assert start(web.get_person, GWEN).result() == person
    assert len(calls) == 2
    # A read kept under other arguments is not taken for this one.
    today = clock.local_date(clock.utcnow())
    week = start(web.list_visits, GWEN, today, today + timedelta(days=6)).result()
    fortnight = start(web.list_visits, GWEN, today, today + timedelta(days=13)).result()
    assert len(calls) == 4 and len(fortnight.visits) > len(week.visits)
