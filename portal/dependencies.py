"""What views hand to services: the store, the clients, the policies and the
councils served, built once by the app factory (portal.create_app) and found by
views with deps(). In a module of its own, below the web layer and the factory
alike, so that neither imports the other to reach it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app

from portal import records
from portal.clients.backoffice import BackOfficeClient
from portal.clients.identity import IdentityClient
from portal.clients.notify import NotifyClient
from portal.clients.pay import PayClient
from portal.councils import Council, Councils
from portal.services.accounts import LinkPolicy, SessionPolicy
from portal.store import Store


@dataclass
class Dependencies:
    """The store, the clients, the policies, and the councils served. The back-office
    client sends each call to the council whose record it is (portal.records); each
    council has its own Pay account, and `pay_for` gives the one a record pays into;
    Notify is national, but for a council with its own service (`notify_for`)."""

    store: Store
    backoffice: BackOfficeClient
    identity: IdentityClient
    notify: NotifyClient  # the national Notify service
    pays: Mapping[str, PayClient]  # each council's, by its code
    sessions: SessionPolicy
    linking: LinkPolicy
    # Where people reach the portal, for links in messages.
    service_url: str
    councils: Councils
    # The Notify services of councils that have their own, by code.
    notifies: Mapping[str, NotifyClient] = field(default_factory=dict)

    @property
    def council(self) -> Council:
        """The council the portal served before it served several (COUNCIL_CODE):
        the one whose records were stored without naming it."""
        return self.councils.first

    def notify_for(self, council: str | None) -> NotifyClient:
        """The Notify service that sends what is about this council's people: its own,
        if it has one; else (and for what is about no council) the national one."""
        return self.notifies.get(council or "", self.notify)

    def pay_for(self, record: str) -> PayClient:
        """The Pay account of the council that holds this record: what it owes is paid
        to that council, and to no other."""
        return self.pays[records.council_of(record)]


def deps() -> Dependencies:
    """The store, clients and policies built by the app factory."""
    found: Dependencies = current_app.extensions["portal"]
    return found
