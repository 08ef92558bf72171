"""The Notify templates the portal sends with, for making them in GOV.UK Notify
and producing NOTIFY_TEMPLATE_IDS. Needs no other setting, so it runs before the
portal is configured:

    python -m portal.notify_templates                    # each template's name, type, subject, body
    python -m portal.notify_templates skeleton > ids.json  # every name, to fill with Notify's ids
    python -m portal.notify_templates check ids.json     # every id there and a UUID: prints
                                                         # the value for NOTIFY_TEMPLATE_IDS
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from portal.messages import TEMPLATES

FILL_IN = "the template's id from Notify"


def describe() -> str:
    """Every template as it is to be made in Notify (its name there, its type, its text)."""
    parts = []
    for template in TEMPLATES:
        lines = [f"Name: {template.name}", f"Type: {template.channel}"]
        if template.subject:
            lines.append(f"Subject: {template.subject}")
        lines += ["Message:", template.body]
        parts.append("\n".join(lines))
    return ("\n\n" + "=" * 72 + "\n\n").join(parts) + "\n"


def problems(ids: object) -> list[str]:
    """What is wrong with a NOTIFY_TEMPLATE_IDS value: names missing, unknown or without an id."""
    if not isinstance(ids, dict):
        return ["it must be a JSON object of template name to Notify template id"]
    names = {t.name for t in TEMPLATES}
    found = [f"{name}: missing" for name in sorted(names - ids.keys())]
    found += [f"{name}: not a template of the portal's" for name in sorted(ids.keys() - names)]
    for name in sorted(names & ids.keys()):
        try:
            uuid.UUID(str(ids[name]))
        except ValueError:
            found.append(f"{name}: {ids[name]!r} is not a Notify template id")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.notify_templates",
                                     description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("skeleton", help="print every template name as JSON, to fill in")
    check = commands.add_parser("check", help="check a file of ids; print it for the setting")
    check.add_argument("file", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "skeleton":
        print(json.dumps({t.name: FILL_IN for t in TEMPLATES}, indent=2))
    elif arguments.command == "check":
        try:
            ids = json.loads(arguments.file.read_text())
        except (OSError, ValueError) as error:
            print(f"{arguments.file}: {error}", file=sys.stderr)
            return 1
        wrong = problems(ids)
        if wrong:
            print("\n".join(wrong), file=sys.stderr)
            return 1
        print(json.dumps(ids, separators=(",", ":")))
    else:
        print(describe(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
