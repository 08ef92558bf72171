"""Where the portal's files that are not Python live: the templates, the built
static files and the compiled translations.

In a checkout they are the top-level folders `templates/`, `static/dist/` and
`translations/`. A wheel carries copies of them in `portal/files/` (setup.py's
build step puts them there), so an installed portal needs no checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_PACKAGED = PACKAGE / "files"
ROOT = _PACKAGED if _PACKAGED.is_dir() else PACKAGE.parent

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static" / "dist"
TRANSLATIONS = ROOT / "translations"
