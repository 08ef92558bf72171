"""Static files, served by WhiteNoise before a request reaches Flask.

`make assets` (static/build.mjs) names each built file by its content's hash and
writes it compressed too; WhiteNoise sends the brotli or gzip copy a browser
accepts and lets hashed files be cached for good (`immutable`). Templates ask
`asset("portal.css")` for a file's address. The favicon keeps its name, at
/favicon.ico, where browsers look for it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise

from portal import resources

PREFIX = "/static/"
_HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z]+$")
_FAVICONS = ("favicon.ico", "favicon.svg")
# A day: the favicon has no hash in its name to change when it does.
_UNHASHED_MAX_AGE = 24 * 3600


@cache
def manifest() -> dict[str, str]:
    """Source name -> served name, as the build wrote them."""
    path = resources.STATIC / "manifest.json"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: build the static files with `make assets`")
    names: dict[str, str] = json.loads(path.read_text())
    return names


def asset(name: str) -> str:
    """The address of a built static file: asset("portal.css") -> /static/portal.<hash>.css."""
    return PREFIX + manifest()[name]


def install(app: Flask) -> None:
    """Serve the built files under /static/ and the favicon at the root, ahead of Flask."""
    manifest()
    static = WhiteNoise(app.wsgi_app, max_age=_UNHASHED_MAX_AGE,
                        immutable_file_test=lambda _path, url: bool(_HASHED.search(url)),
                        add_headers_function=_nosniff)
    static.add_files(str(resources.STATIC), prefix=PREFIX)
    for name in _FAVICONS:
        path = str(resources.STATIC / name)
        static.add_file_to_dictionary(f"/{name}", path, stat_cache=None)
    app.wsgi_app = static  # type: ignore[method-assign]
    app.jinja_env.globals["asset"] = asset


def _nosniff(headers: Headers, _path: str, _url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"
