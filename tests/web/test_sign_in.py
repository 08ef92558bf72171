"""Signing in and out through the provider, and when the provider fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from tests.conftest import page_of, sign_in, sign_out, visible_text


@pytest.fixture
def identity_faults(running_sandboxes: Any) -> Iterator[Any]:
    faults = running_sandboxes.servers["identity"].app.extensions["sandbox_faults"]
    yield faults
    faults.set()


def test_sign_in_asks_the_provider_in_the_current_language(app: Flask) -> None:
    client = app.test_client()
    client.get("/language/cy")
    location = client.get("/sign-in").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["ui_locales"] == ["cy"] and query["vtr"] == ['["Cl.Cm"]']
    assert query["nonce"][0] and query["state"][0]


def test_a_provider_that_is_down_gets_the_unavailable_page(app: Flask,
                                                           identity_faults: Any) -> None:
    client = app.test_client()
    client.get("/language/cy")
    client.get("/sign-in")  # discovery is fetched once and kept
    identity_faults.set(fail_status=503)
    response = client.get("/sign-in")
    # The authorization URL is built from the cached discovery document; the
    # browser meets the outage on the provider's own page. The token call fails:
    response = client.get("/sign-in/callback?code=x&state=" +
                          parse_qs(urlsplit(response.headers["Location"]).query)["state"][0])
    assert response.status_code == 503
    assert page_of(response).h1.get_text(strip=True) == \
        "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael"


def test_a_callback_with_the_wrong_state_is_refused(app: Flask) -> None:
    client = app.test_client()
    client.get("/sign-in")
    response = client.get("/sign-in/callback?code=x&state=forged")
    assert response.status_code == 400
    assert page_of(response).h1.get_text(strip=True) == "You could not be signed in"


def test_after_sign_in_you_return_to_the_page_you_asked_for(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    sign_out(client)
    assert client.get("/your-care/visits").headers["Location"].endswith("/sign-in")
    assert sign_in(client, "Gwen").endswith("/your-care/visits")


def test_signing_out_is_a_form_another_site_cannot_send(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    assert client.get("/sign-out").status_code == 405  # a link from elsewhere does nothing
    assert client.post("/sign-out").status_code == 400  # a form without our token neither
    assert client.get("/your-care").status_code == 200
    top = page_of(client.get("/your-care")).find(class_="portal-top-row")
    button = top.find("form", action="/sign-out").find("button")
    assert button.get_text(strip=True) == "Sign out everywhere"
    out = sign_out(client)
    assert out.status_code == 302 and "/logout?" in out.headers["Location"]
    assert client.get("/your-care").headers["Location"].endswith("/sign-in")


def test_production_will_not_start_without_its_secrets(monkeypatch: Any) -> None:
    from portal import config

    monkeypatch.setenv("PORTAL_MODE", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load()


def test_signing_out_ends_the_sessions_on_every_device_as_the_provider_will(
        app: Flask) -> None:
    """The provider, told of a sign-out, tells every service the person used with a
    token naming the person, not the device: signing out is signing out everywhere,
    and the button and the page say so."""
    phone, laptop, dafydd = app.test_client(), app.test_client(), app.test_client()
    sign_in(phone, "Gwen")
    sign_in(laptop, "Gwen")
    sign_in(dafydd, "Dafydd")
    account = visible_text(page_of(laptop.get("/account")))
    assert "on every phone and computer you used it on" in account
    out = sign_out(laptop)
    assert out.status_code == 302 and "/logout?" in out.headers["Location"]
    assert phone.get("/your-care").headers["Location"].endswith("/sign-in")
    assert dafydd.get("/your-care").status_code == 200
    said = visible_text(page_of(laptop.get("/signed-out")))
    assert "You have signed out of this service on every phone and computer" in said


def test_being_signed_out_for_doing_nothing_ends_this_device_only(app: Flask) -> None:
    """Not a choice the person made: their other devices, and the provider's session
    (whose sign-out would end every device), are left as they are."""
    from tests.conftest import csrf_token

    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, "Gwen")
    sign_in(laptop, "Gwen")
    out = laptop.post("/sign-out", data={"csrf_token": csrf_token(laptop, "/your-care"),
                                         "timed_out": "1"})
    assert out.status_code == 302 and out.headers["Location"].endswith("/signed-out")
    assert "not done anything for 30 minutes" in visible_text(page_of(laptop.get("/signed-out")))
    assert laptop.get("/your-care").headers["Location"].endswith("/sign-in")
    assert phone.get("/your-care").status_code == 200



def test_production_is_configuration_only_and_sends_strict_transport_security(
        monkeypatch: Any, tmp_path: Any, base_settings: Any) -> None:
    import json

    from portal import config, create_app
    from portal.messages import sandbox_template_ids

    environment = {
        "PORTAL_MODE": "production", "SECRET_KEY": "s" * 32,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
        "BASE_URL": "https://gofal.example.gov.wales",
        "COUNCIL_CODE": "W06000015",
        "BACKOFFICE_URL": "https://backoffice.example.gov.wales", "BACKOFFICE_API_KEY": "k",
        "IDENTITY_ISSUER": "https://oidc.account.gov.uk/", "IDENTITY_CLIENT_ID": "portal",
        "IDENTITY_PRIVATE_KEY_PEM": base_settings.IDENTITY_PRIVATE_KEY_PEM,
        "NOTIFY_API_KEY": config.SANDBOX_NOTIFY_KEY,
        "NOTIFY_TEMPLATE_IDS": json.dumps(sandbox_template_ids()),
        "NOTIFY_CALLBACK_TOKEN": "t", "RATELIMIT_STORAGE_URI": "memory://",
        "PAY_API_KEY": "api_live_k", "PAY_WEBHOOK_SECRET": "w",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = config.load()
    assert settings.NOTIFY_BASE_URL == "https://api.notifications.service.gov.uk"
    assert settings.PAY_BASE_URL == "https://publicapi.payments.service.gov.uk"
    app = create_app(settings)
    app.extensions["portal"].store.migrate()
    response = app.test_client().get("/", base_url="https://gofal.example.gov.wales")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Paying sends a form on to Pay's payment pages, and nowhere else.
    assert "form-action 'self' https://oidc.account.gov.uk https://card.payments.service.gov.uk;" \
        in response.headers["Content-Security-Policy"]
    client = app.test_client()
    client.get("/language/cy", base_url="https://gofal.example.gov.wales")
    cookie = client.get_cookie("portal_session", domain="gofal.example.gov.wales")
    assert cookie is not None and cookie.secure and cookie.http_only
    assert cookie.same_site == "Lax"
