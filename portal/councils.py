"""The councils the portal serves: each with its own back office, its own GOV.UK Pay
service (its own bank account, key and webhook secret), its own contact details and
support for carers, and the parts of the service it has switched on (FEATURES).
Notify is one national service for every council, unless a council has a Notify
service of its own (its letters then carry its own branding): what is sent about
its people is then sent by it.

A deployment names its councils in one TOML file (COUNCILS_FILE), one [[council]]
table each; docs/councils.example.toml shows every setting. Secrets are never in the
file: it names the environment variable that holds each one. Without the file, the
portal serves the one council its single-council settings describe (COUNCIL_CODE,
BACKOFFICE_URL, PAY_API_KEY and the rest), as it always has.

Every problem in the file is found at start, all at once, each naming the council
and the setting, so that adding a council needs no code and no guessing."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal import charging_rules, records

# The 22 principal councils of Wales: GSS code, then name in Welsh and in English,
# as the Welsh Government and the Office for National Statistics give them.
WALES: dict[str, tuple[str, str]] = {
    "W06000001": ("Cyngor Sir Ynys Môn", "Isle of Anglesey County Council"),
    "W06000002": ("Cyngor Gwynedd", "Gwynedd Council"),
    "W06000003": ("Cyngor Bwrdeistref Sirol Conwy", "Conwy County Borough Council"),
    "W06000004": ("Cyngor Sir Ddinbych", "Denbighshire County Council"),
    "W06000005": ("Cyngor Sir y Fflint", "Flintshire County Council"),
    "W06000006": ("Cyngor Bwrdeistref Sirol Wrecsam", "Wrexham County Borough Council"),
    "W06000008": ("Cyngor Sir Ceredigion", "Ceredigion County Council"),
    "W06000009": ("Cyngor Sir Penfro", "Pembrokeshire County Council"),
    "W06000010": ("Cyngor Sir Caerfyrddin", "Carmarthenshire County Council"),
    "W06000011": ("Cyngor Dinas a Sir Abertawe", "City and County of Swansea Council"),
    "W06000012": ("Cyngor Bwrdeistref Sirol Castell-nedd Port Talbot",
                  "Neath Port Talbot County Borough Council"),
    "W06000013": ("Cyngor Bwrdeistref Sirol Pen-y-bont ar Ogwr",
                  "Bridgend County Borough Council"),
    "W06000014": ("Cyngor Bro Morgannwg", "Vale of Glamorgan Council"),
    "W06000015": ("Cyngor Caerdydd", "Cardiff Council"),
    "W06000016": ("Cyngor Bwrdeistref Sirol Rhondda Cynon Taf",
                  "Rhondda Cynon Taf County Borough Council"),
    "W06000018": ("Cyngor Bwrdeistref Sirol Caerffili", "Caerphilly County Borough Council"),
    "W06000019": ("Cyngor Bwrdeistref Sirol Blaenau Gwent",
                  "Blaenau Gwent County Borough Council"),
    "W06000020": ("Cyngor Bwrdeistref Sirol Torfaen", "Torfaen County Borough Council"),
    "W06000021": ("Cyngor Sir Fynwy", "Monmouthshire County Council"),
    "W06000022": ("Cyngor Dinas Casnewydd", "Newport City Council"),
    "W06000023": ("Cyngor Sir Powys", "Powys County Council"),
    "W06000024": ("Cyngor Bwrdeistref Sirol Merthyr Tudful",
                  "Merthyr Tydfil County Borough Council"),
}


# The words a council's Welsh name puts before its place ("Cyngor Sir Ceredigion",
# "Cyngor Dinas a Sir Abertawe"): a list of councils is in the order of their places,
# as the English names are already.
_BEFORE_PLACE = frozenset({"Cyngor", "Bwrdeistref", "Sirol", "Sir", "Dinas", "a", "y"})


def by_place(name: str) -> str:
    """What orders a council's name in a list: its place, in either language."""
    words = name.split()
    while len(words) > 1 and words[0] in _BEFORE_PLACE:
        words.pop(0)
    return " ".join(words).casefold()


# A UK postcode's district (its outward code), then, in a full postcode, its inward
# code: SY23 2AZ, sy232az, LL55.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9][A-Z]{2})?")


def postcode_district(text: str) -> str | None:
    """The district of a postcode as people write it (a full one, or its first part),
    or None if it is not one."""
    found = _POSTCODE.fullmatch(re.sub(r"\s+", "", text or "").upper())
    return found.group(1) if found else None


# What a council may switch on or off, with what it lets people do online. A council
# that lists none has every one; one that lists some has those alone. Whatever is
# off, people still see their records: what is off is doing it here, and the page
# says how to do it with the council instead (portal/web/features.py).
FEATURES: dict[str, str] = {
    "payments": "pay care charges online, through the council's GOV.UK Pay account",
    "reviews": "book, move and cancel reviews online",
    "messages": "send messages to the care team and read their replies",
    "visit-reports": "tell the council about a visit that went wrong",
    "changes": "tell the council about a change (a new phone number, a stay in hospital)",
}


@dataclass(frozen=True)
class BackOffice:
    url: str
    api_key: str


@dataclass(frozen=True)
class Pay:
    api_key: str
    webhook_secret: str


@dataclass(frozen=True)
class Notify:
    """A council's own GOV.UK Notify service: its API key, the bearer token it sends
    with delivery receipts, and its templates' ids (by the portal's message names)."""

    api_key: str
    callback_token: str
    template_ids: Mapping[str, str]


@dataclass(frozen=True)
class Council:
    """One council, as the deployment configures it."""

    code: str                          # its GSS code, W06...
    names: Mapping[str, str]           # "cy" and "en"
    back_office: BackOffice
    pay: Pay
    phone: str
    email: str
    carer_support: Mapping[str, list[dict[str, str]]]  # "cy" and "en"
    # The postcode districts of its area (SY23, LL55), for finding a council from a
    # postcode; a district two councils share is in both.
    postcode_districts: frozenset[str] = frozenset()
    # The parts of the service it has switched on (FEATURES).
    features: frozenset[str] = frozenset(FEATURES)
    # Its own Notify service; None: the national one.
    notify: Notify | None = None
    # Its own choices in charging for care at home, where the law lets it charge less
    # (portal.charging_rules.CHOICES), each with its date and source.
    charging: tuple[charging_rules.Figure, ...] = ()
    # Its out-of-hours line for social care, where it is not `phone`.
    out_of_hours: str = ""

    @property
    def out_of_hours_phone(self) -> str:
        """The number to phone when someone needs care and support urgently, at any
        hour: the council's out-of-hours line, else its own number."""
        return self.out_of_hours or self.phone

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def offers(self, feature: str) -> bool:
        """Whether people of this council can do this here (one of FEATURES)."""
        if feature not in FEATURES:
            raise ValueError(f"unknown feature {feature!r}")
        return feature in self.features

    def charging_rules(self, day: date) -> charging_rules.Rules:
        """The charging figures in force for its people on this day: the law for
        Wales, with its own choices on top."""
        return charging_rules.wales().on(day, self.charging)


class Councils:
    """Every council the deployment serves, by code, in the order the file gives."""

    def __init__(self, councils: list[Council]) -> None:
        if not councils:
            raise ValueError("a portal serves at least one council")
        self._by_code = {c.code: c for c in councils}

    def __iter__(self) -> Iterator[Council]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Council:
        """The council with this code; KeyError for one the portal does not serve."""
        return self._by_code[code]

    def holding(self, record: str) -> Council | None:
        """The council that holds this record (by its key), if the portal serves it."""
        council = records.council_if_key(record)
        return None if council is None else self._by_code.get(council)

    def of_postcode(self, postcode: str) -> list[Council]:
        """The councils served whose area holds this postcode's district."""
        district = postcode_district(postcode)
        return [c for c in self if district is not None and district in c.postcode_districts]

    @property
    def found_by_postcode(self) -> bool:
        """Whether any council served says which postcode districts are its."""
        return any(c.postcode_districts for c in self)

    def led_by(self, code: str) -> Councils:
        """The same councils, this one first."""
        return Councils([self._by_code[code], *(c for c in self if c.code != code)])

    @property
    def first(self) -> Council:
        """The council the deployment names first: the one whose records the portal
        held before councils were configuration."""
        return next(iter(self._by_code.values()))


class CouncilsFileError(ValueError):
    """What is wrong with the councils file: every problem, each naming its council."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load(path: Path, environ: Mapping[str, str] | None = None,
         carer_support: Any = None, template_ids: Any = None) -> Councils:
    """The councils a COUNCILS_FILE describes, each checked; CouncilsFileError names
    every problem at once. `carer_support(path or None)` reads a support-for-carers
    file as CARER_SUPPORT_FILE does (raising ValueError), the default list without one;
    `template_ids(path)` reads a council's own Notify templates' ids (raising
    ValueError)."""
    environ = os.environ if environ is None else environ
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CouncilsFileError([f"cannot be read: {error}"]) from error
    except tomllib.TOMLDecodeError as error:
        raise CouncilsFileError([f"is not TOML: {error}"]) from error
    tables = content.get("council")
    if not isinstance(tables, list) or not tables:
        raise CouncilsFileError(["holds no [[council]] table"])
    problems: list[str] = []
    councils: list[Council] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        reading = _Reading(table, f"council {number}", environ)
        code = reading.text("code")
        if code:
            reading.where = f"council {code}"
            if code not in WALES:
                reading.wrong("code", f"must be the GSS code of a council in Wales "
                                      f"(W06000001 to W06000024), not {code!r}")
            else:
                reading.where = f"council {code} ({WALES[code][1]})"
                if code in seen:
                    reading.wrong("code", "is given for two councils")
                seen.add(code)
        default_cy, default_en = WALES.get(code or "", ("", ""))
        names = {"cy": reading.text("name_cy", default_cy),
                 "en": reading.text("name_en", default_en)}
        council = Council(
            code=code or "",
            names=names,
            back_office=BackOffice(reading.url("back_office.url"),
                                   reading.secret("back_office.api_key_env")),
            pay=Pay(reading.secret("pay.api_key_env"), reading.secret("pay.webhook_secret_env")),
            phone=reading.text("contact.phone"),
            email=reading.email("contact.email"),
            carer_support=reading.carer_support("carer_support_file", carer_support),
            postcode_districts=reading.districts("postcode_districts"),
            features=reading.features("features"),
            notify=reading.notify("notify", template_ids),
            charging=reading.charging("charging", code or ""),
            out_of_hours=reading.optional_text("contact.out_of_hours"),
        )
        problems += reading.problems
        councils.append(council)
    if problems:
        raise CouncilsFileError(problems)
    return Councils(councils)


class _Reading:
    """One [[council]] table read, its problems noted as each setting is."""

    def __init__(self, table: Any, where: str, environ: Mapping[str, str]) -> None:
        self.table = table if isinstance(table, dict) else {}
        self.where = where
        self.environ = environ
        self.problems: list[str] = []

    def wrong(self, setting: str, problem: str) -> None:
        self.problems.append(f"{self.where}: {setting} {problem}")

    def _get(self, setting: str) -> Any:
        value: Any = self.table
        for part in setting.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def text(self, setting: str, default: str = "") -> str:
        value = self._get(setting)
        if value is None and default:
            return default
        if not isinstance(value, str) or not value.strip():
            self.wrong(setting, "is not set" if value is None else "must be words in quotes")
            return ""
        return value.strip()

    def optional_text(self, setting: str) -> str:
        """Words in quotes, or nothing where the setting is left out."""
        return "" if self._get(setting) is None else self.text(setting)

    def url(self, setting: str) -> str:
        value = self.text(setting)
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.wrong(setting, f"must be a web address (https://...), not {value!r}")
        return value

    def email(self, setting: str) -> str:
        value = self.text(setting)
        if value and ("@" not in value or " " in value):
            self.wrong(setting, f"must be an email address, not {value!r}")
        return value

    def secret(self, setting: str) -> str:
        """A secret, from the environment variable the file names (never the file)."""
        name = self._get(setting)
        if not isinstance(name, str) or not name.strip():
            self.wrong(setting, "must name the environment variable that holds it")
            return ""
        value = self.environ.get(name.strip(), "")
        if not value:
            self.wrong(setting, f"names {name.strip()}, which is not set")
        return value

    def districts(self, setting: str) -> frozenset[str]:
        value = self._get(setting)
        if value is None:
            return frozenset()
        found = [postcode_district(v) if isinstance(v, str) else None
                 for v in (value if isinstance(value, list) else [value])]
        if not isinstance(value, list) or None in found or any(
                d != v.strip().upper() for d, v in zip(found, value, strict=True)):
            self.wrong(setting, 'must be a list of postcode districts, like ["SY23", "SY24"]')
            return frozenset()
        return frozenset(d for d in found if d)

    def notify(self, setting: str, template_ids: Any) -> Notify | None:
        """A council's own Notify service, if it names one."""
        if self._get(setting) is None:
            return None
        path = self.text(f"{setting}.template_ids_file")
        ids: Mapping[str, str] = {}
        if path and template_ids is not None:
            try:
                ids = template_ids(path)
            except ValueError as error:
                self.wrong(f"{setting}.template_ids_file", str(error))
        return Notify(self.secret(f"{setting}.api_key_env"),
                      self.secret(f"{setting}.callback_token_env"), ids)

    def charging(self, setting: str, code: str) -> tuple[charging_rules.Figure, ...]:
        figures, problems = charging_rules.read_choices(self._get(setting), code)
        self.problems += [f"{self.where}: {problem}" for problem in problems]
        return tuple(figures)

    def features(self, setting: str) -> frozenset[str]:
        value = self._get(setting)
        if value is None:
            return frozenset(FEATURES)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.wrong(setting, f"must be a list of features, from {', '.join(FEATURES)}")
            return frozenset(FEATURES)
        unknown = [v for v in value if v not in FEATURES]
        if unknown:
            self.wrong(setting, f"names {', '.join(map(repr, unknown))}, not a feature: "
                                f"they are {', '.join(FEATURES)}")
        return frozenset(v for v in value if v in FEATURES)

    def carer_support(self, setting: str, read: Any) -> Mapping[str, list[dict[str, str]]]:
        path = self._get(setting)
        if path is not None and not isinstance(path, str):
            self.wrong(setting, "must be the path of a JSON file, in quotes")
            path = None
        if read is None:
            return {"cy": [], "en": []}
        try:
            found: Mapping[str, list[dict[str, str]]] = read(path or None)
        except ValueError as error:
            self.wrong(setting, str(error))
            return {"cy": [], "en": []}
        return found
