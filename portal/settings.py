"""The portal's settings from the command line, before anything starts:

    python -m portal.settings check     whether these settings would start the portal
    python -m portal.settings example   every setting, as docs/settings.example.env
"""

from __future__ import annotations

import sys

from portal import config


def main(argv: list[str]) -> None:
    if argv == ["example"]:
        print(config.example(), end="")
    elif argv == ["check"]:
        config.load_or_exit()
        print("The settings are complete.")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
