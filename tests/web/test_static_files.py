"""Static files are named by their content, sent compressed and cached for good;
pages are never cached; only the Design System components the templates use are
compiled into the CSS."""

from __future__ import annotations

import re

from flask import Flask

from portal import resources
from portal.web.assets import asset, manifest


def _linked_assets(app: Flask) -> list[str]:
    page = app.test_client().get("/").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_every_file_a_page_links_is_hashed_compressed_and_cached_for_good(app: Flask) -> None:
    linked = _linked_assets(app)
    assert {asset("portal.css"), asset("portal.mjs"), asset("timeout.mjs")} <= set(linked)
    client = app.test_client()
    for address in linked:
        assert re.search(r"\.[0-9a-f]{12}\.(css|mjs|js)$", address), address
        plain = client.get(address)
        assert plain.status_code == 200
        assert "immutable" in plain.headers["Cache-Control"]
        max_age = re.search(r"max-age=(\d+)", plain.headers["Cache-Control"])
        assert max_age and int(max_age[1]) >= 365 * 24 * 3600
        assert plain.headers["X-Content-Type-Options"] == "nosniff"
        for encoding in ("br", "gzip"):
            packed = client.get(address, headers={"Accept-Encoding": encoding})
            assert packed.headers["Content-Encoding"] == encoding
            assert len(packed.data) < len(plain.data)


def test_the_module_gets_gov_uk_frontend_by_its_served_name(app: Flask) -> None:
    script = app.test_client().get(asset("portal.mjs")).get_data(as_text=True)
    assert f'from "./{manifest()["govuk-frontend.min.js"]}"' in script


def test_the_favicon_is_where_browsers_look_and_pages_are_never_cached(app: Flask) -> None:
    client = app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/x-icon",
                                                         "image/vnd.microsoft.icon")
    assert client.get("/favicon.svg").mimetype == "image/svg+xml"
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/static/portal.css").status_code == 404  # only the hashed name


def test_the_css_holds_the_components_the_templates_use_and_no_others() -> None:
    scss = (resources.ROOT / "static/scss/portal.scss").read_text()
    compiled = set(re.findall(r'@use "govuk-frontend/dist/govuk/components/([a-z-]+)"', scss))
    components = {p.name for p in (resources.ROOT / "node_modules/govuk-frontend/dist/govuk/"
                                   "components").iterdir() if p.is_dir()}
    templates = " ".join(t.read_text() for t in resources.TEMPLATES.rglob("*.html"))
    # A component is used through its macro or its class names.
    used = {name for name in components
            if f"components/{name}/macro.html" in templates
            or re.search(rf"govuk-{name}(\b(?!-)|__|--)", templates)}
    # Components whose macros others call (a field's label, hint and error message).
    inner = {"label", "hint", "error-message", "fieldset"}
    assert used <= compiled
    assert compiled - used <= inner
