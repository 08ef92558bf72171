"""Email addresses, mobile numbers and postal addresses as GOV.UK Notify accepts them.

These are the rules of Notify's own recipient validation (notifications-utils), so
an address is checked when someone gives it to us, not refused by Notify when a
message is sent to it months later. The sandbox Notify refuses with the same rules
and Notify's words."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import cache

from babel import Locale

# Characters that look like nothing, which Notify takes out before it checks.
OBSCURE_WHITESPACE = "\u180e\u200b\u200c\u200d\u2060\ufeff\u00a0"
VALID_LOCAL_CHARS = r"a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-"
EMAIL = re.compile(rf"^[{VALID_LOCAL_CHARS}]+@([^.@][^@\s]+)$")
HOSTNAME_PART = re.compile(r"^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$", re.IGNORECASE)
TLD_PART = re.compile(r"^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)
LONGEST_EMAIL = 320
UK_PREFIX = "44"
NUMBER_PUNCTUATION = "()-+"


class InvalidAddress(ValueError):
    """Notify would refuse this address; the message is Notify's."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def tidied(value: str) -> str:
    """The address without the whitespace around it or any invisible characters in it."""
    for character in OBSCURE_WHITESPACE:
        value = value.replace(character, "")
    return value.strip(string.whitespace)


def email_address(value: str) -> str:
    """The email address, tidied; InvalidAddress if Notify would refuse it."""
    address = tidied(value)
    match = EMAIL.match(address)
    if not match or len(address) > LONGEST_EMAIL or ".." in address:
        raise InvalidAddress("Not a valid email address")
    try:
        hostname = match.group(1).encode("idna").decode("ascii")
    except UnicodeError as error:
        raise InvalidAddress("Not a valid email address") from error
    parts = hostname.split(".")
    if len(hostname) > 253 or len(parts) < 2 or not TLD_PART.match(parts[-1]) or any(
            not part or len(part) > 63 or not HOSTNAME_PART.match(part) for part in parts):
        raise InvalidAddress("Not a valid email address")
    return address


def uk_mobile(value: str) -> str:
    """The UK mobile number as Notify sends to it (447...); InvalidAddress if Notify
    would refuse it. Spaces, brackets, dashes and a +44 or 0 in front are all fine."""
    number = _digits(value).removeprefix(UK_PREFIX).lstrip("0")
    if not number.startswith("7"):
        raise InvalidAddress("This does not look like a UK mobile number – double check the "
                             "mobile number you entered")
    if len(number) > 10:
        raise InvalidAddress("Mobile number is too long")
    if len(number) < 10:
        raise InvalidAddress("Mobile number is too short")
    return UK_PREFIX + number


def phone_number(value: str, international: bool = False) -> str:
    """A mobile number as Notify sends to it: a UK one, or, for a service Notify lets
    text abroad, one with another country's code."""
    if not international or is_uk(value):
        return uk_mobile(value)
    number = _digits(value)
    if len(number) < 8:
        raise InvalidAddress("Mobile number is too short")
    if len(number) > 15:
        raise InvalidAddress("Mobile number is too long")
    return number


def is_uk(value: str) -> bool:
    """Whether a number is a UK one, as Notify tells them apart."""
    value = tidied(value)
    if value.startswith("0") and not value.startswith("00"):
        return True
    try:
        number = _digits(value)
    except InvalidAddress:
        return True  # checked, and refused, as a UK number
    return number.startswith(UK_PREFIX) or (number.startswith("7") and len(number) < 11)


def valid_email(value: str) -> bool:
    try:
        email_address(value)
    except InvalidAddress:
        return False
    return True


def valid_uk_mobile(value: str) -> bool:
    try:
        uk_mobile(value)
    except InvalidAddress:
        return False
    return True


# The UK's postcode areas (Royal Mail's, with the Channel Islands, the Isle of Man,
# BFPO's BF and BX): a postcode in any other area does not exist.
POSTCODE_AREAS = frozenset({
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX", "CA",
    "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL",
    "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GIR", "GL", "GU", "GY",
    "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT",
    "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE",
    "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH",
    "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW",
    "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF",
    "WN", "WR", "WS", "WV", "YO", "ZE",
})
UK_POSTCODE = re.compile(rf"^(?:{'|'.join(sorted(POSTCODE_AREAS, key=len, reverse=True))})"
                         r"[0-9][0-9A-Z]?[0-9][ABD-HJLNP-UW-Z]{2}$")
# What a letter's address must be, in Notify's words (notifications-utils postal_address).
FEWEST_LINES, MOST_LINES = 3, 7
NOT_FIRST = "@()=[]\"\\/,<>~"
NO_FIXED_ABODE = re.compile(r"no fixed (abode|address)", re.IGNORECASE)
# The UK's own names, which may end an address after its postcode.
UK_NAMES = frozenset({"united kingdom", "uk", "u.k.", "great britain", "gb", "england",
                      "wales", "cymru", "scotland", "northern ireland", "britain"})


def uk_postcode(value: str) -> str:
    """The postcode as it is printed (CF10 1AA); InvalidAddress if it is not a real
    UK postcode: its shape, in an area that exists."""
    postcode = "".join(tidied(value).split()).upper()
    if not UK_POSTCODE.match(postcode):
        raise InvalidAddress("Must be a real UK postcode")
    return f"{postcode[:-3]} {postcode[-3:]}"


def postal_address(lines: Sequence[str]) -> list[str]:
    """A letter's address as Notify prints it: blank lines and trailing commas gone, a
    UK name after the postcode dropped, the postcode as printed; InvalidAddress, in
    Notify's words, for an address Notify would refuse. A country other than the UK as
    the last line makes it an international letter, which Notify takes."""
    given = [" ".join(tidied(str(line)).split()).rstrip(" ,") for line in lines]
    found = [line for line in given if line]
    while len(found) > 1 and found[-1].lower() in UK_NAMES:
        found.pop()
    if len(found) < FEWEST_LINES:
        raise InvalidAddress("Address must be at least 3 lines")
    if len(found) > MOST_LINES:
        raise InvalidAddress("Address must be no more than 7 lines")
    if any(line.startswith(tuple(NOT_FIRST)) for line in found):
        raise InvalidAddress("Address lines must not start with any of the following "
                             "characters: @ ( ) = [ ] \u201d \\ / , < >")
    if any(line.lower() == "nfa" for line in found) or NO_FIXED_ABODE.search("\n".join(found)) \
            or not any(ch.isalnum() for ch in found[0]):
        raise InvalidAddress("Must be a real address")
    if found[-1].lower() in _countries():
        return found
    try:
        return [*found[:-1], uk_postcode(found[-1])]
    except InvalidAddress as error:
        raise InvalidAddress("Last line of address must be a real UK postcode or another "
                             "country") from error


def valid_postal_address(lines: Sequence[str]) -> bool:
    try:
        postal_address(lines)
    except InvalidAddress:
        return False
    return True


@cache
def _countries() -> frozenset[str]:
    """The names of the world's countries but the UK, as an address may end with one."""
    return frozenset(name.lower() for code, name in Locale("en").territories.items()
                     if len(code) == 2 and code.isalpha() and code != "GB")


def valid_uk_phone(value: str) -> bool:
    """A UK number someone can be rung on, landline or mobile (01632 960 101,
    +44 7700 900 982): 9 or 10 digits after the 0 or +44."""
    try:
        number = _digits(value)
    except InvalidAddress:
        return False
    national = number.removeprefix(UK_PREFIX) if number.startswith(UK_PREFIX) else number
    national = national.removeprefix("0")
    return 9 <= len(national) <= 10 and national[0] in "123578"


def _digits(value: str) -> str:
    number = tidied(value)
    for character in string.whitespace + NUMBER_PUNCTUATION:
        number = number.replace(character, "")
    if not number.isascii() or not number.isdigit():
        raise InvalidAddress("Mobile numbers can only include: 0 1 2 3 4 5 6 7 8 9 ( ) + -")
    return number.lstrip("0")
