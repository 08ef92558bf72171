"""The back-office client over real HTTP to the sandbox: typed results, as_of,
and failures mapped to typed errors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from portal import clock
from portal.clients.backoffice import BackOfficeClient
from portal.clients.errors import BackOfficeUnavailable, NotFound
from portal.councils import BackOffice
from tests.support.settings import back_offices


@pytest.fixture
def client(base_settings: Any, running_sandboxes: Any) -> BackOfficeClient:
    return BackOfficeClient(back_offices(base_settings),
                            connect_timeout=1, read_timeout=0.5)


def test_reads_come_back_as_typed_results_with_as_of(client: BackOfficeClient) -> None:
    plan = client.get_care_plan("W06000002:p-1002")
    assert plan is not None
    assert plan.direct_payment is not None and plan.direct_payment.amount_pence == 41850
    assert [n.id for n in plan.direct_payment.needs] == ["n1", "n2"]
    assert plan.as_of.tzinfo is not None
    person = client.match_person("W06000002", "C104233", date(1941, 3, 14))
    assert (person.full_name, person.preferred_language) == ("Gwen Morgan", "cy")


def test_a_person_with_no_plan_yet_gets_none_and_an_unknown_person_not_found(
        client: BackOfficeClient) -> None:
    assert client.get_care_plan("W06000002:p-1004") is None
    with pytest.raises(NotFound):
        client.get_care_plan("p-nobody")


def test_a_slow_back_office_is_unavailable_not_a_hang(client: BackOfficeClient,
                                                      backoffice_faults: Any) -> None:
    backoffice_faults.set(latency_seconds=1.0)
    with pytest.raises(BackOfficeUnavailable):
        client.get_person("W06000002:p-1001")


def test_reads_retry_through_a_brief_failure(client: BackOfficeClient,
                                             backoffice_faults: Any) -> None:
    backoffice_faults.set(fail_status=503, fail_count=2)
    today = clock.today()
    assert client.list_visits("W06000002:p-1001", today, today + timedelta(1)).visits


def test_a_lasting_failure_is_unavailable(client: BackOfficeClient,
                                          backoffice_faults: Any) -> None:
    backoffice_faults.set(fail_status=503)
    with pytest.raises(BackOfficeUnavailable):
        client.get_person("W06000002:p-1001")


def test_an_unreachable_back_office_is_unavailable() -> None:
    from tests.conftest import free_port

    dead = BackOfficeClient({"W06000002": BackOffice(f"http://127.0.0.1:{free_port()}", "k")},
                            connect_timeout=0.5)
    with pytest.raises(BackOfficeUnavailable):
        dead.get_person("W06000002:p-1001")
