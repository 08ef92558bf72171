"""What views hand to services: the store, the clients, the policies and the
councils served, built once by the app factory (portal.create_app) and found by
views with deps(). In a module of its own, below the web layer and the factory
alike, so that neither imports the other to reach it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.clients.backoffice import BackOfficeClient
from portal.clients.identity import IdentityClient
from portal.clients.notify import NotifyClient
from portal.clients.pay import PayClient
from portal.councils import Council, Councils
from portal.services.accounts import LinkPolicy, SessionPolicy
from portal.store import Store


@dataclass
class Dependencies:
    """The store, the clients, the policies, and the councils served. A record does
    not yet say which council holds it, so a portal serves one council's records
    (councils.first), and `backoffice` and `pay` are that council's clients."""

    store: Store
    backoffice: BackOfficeClient
    identity: IdentityClient
    notify: NotifyClient
    pay: PayClient
    sessions: SessionPolicy
    linking: LinkPolicy
    # Where people reach the portal, for links in messages.
    service_url: str
    councils: Councils

    @property
    def council(self) -> Council:
        """The council whose records the portal holds."""
        return self.councils.first


def deps() -> Dependencies:
    """The store, clients and policies built by the app factory."""
    found: Dependencies = current_app.extensions["portal"]
    return found
