"""The words of every email and text message, kept here in Welsh and English.

Notify does not translate, so each message has a Notify template per language,
or one bilingual template (Welsh first) when we do not know the recipient's
language. Template ids come from configuration (NOTIFY_TEMPLATE_IDS); embedded
mode seeds the sandbox with these texts under stable ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

BILINGUAL = "cy+en"


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    channel: str   # email or sms
    language: str  # cy, en or cy+en
    body: str
    subject: str | None = None

    @property
    def name(self) -> str:
        return f"{self.key}-{self.channel}-{self.language}"


TEMPLATES = [
    MessageTemplate(
        "invitation", "email", BILINGUAL,
        subject="Cod i weithredu ar ran ((person_name)) / Code to act for ((person_name))",
        body=(
            "Mae ((person_name)) wedi eich ychwanegu fel rhywun sy’n gallu gweithredu ar eu "
            "rhan yn y gwasanaeth Eich gofal a chymorth.\n\n"
            "Eich cod yw: ((code))\n\n"
            "Mewngofnodwch, dewiswch ‘Gweithredu ar ran rhywun’ a rhowch y cod. Mae’n gweithio "
            "unwaith ac yn dod i ben ar ((expires_cy)).\n\n"
            "---\n\n"
            "((person_name)) has added you as someone who can act for them in the Your care "
            "and support service.\n\n"
            "Your code is: ((code))\n\n"
            "Sign in, choose ‘Act for someone’ and enter the code. It works once and expires "
            "on ((expires_en))."
        ),
    ),
    MessageTemplate(
        "invitation", "sms", BILINGUAL,
        body=(
            "Mae ((person_name)) wedi eich ychwanegu i weithredu ar eu rhan. Cod: ((code)). "
            "Yn dod i ben ((expires_cy)).\n"
            "((person_name)) has added you to act for them. Code: ((code)). "
            "Expires ((expires_en))."
        ),
    ),
]

BY_NAME = {t.name: t for t in TEMPLATES}


def sandbox_template_ids() -> dict[str, str]:
    """Stable ids for the sandbox's copy of each template."""
    return {t.name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"care-portal/{t.name}"))
            for t in TEMPLATES}
