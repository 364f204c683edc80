"""The European Central Bank's euro foreign exchange reference rates, in its published XML format
(`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`, `eurofxref-hist.xml`):

    <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
                     xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <Cube><Cube time="2026-11-27"><Cube currency="USD" rate="1.1602"/>...</Cube>...</Cube>
    </gesmes:Envelope>

Each rate says 1 EUR = rate units of the currency. The ECB publishes them at about 16:00 Frankfurt time on
each working day, so each is taken as valid from 16:00 Europe/Berlin (CET, or CEST in summer) of its day.
The parser reads a bounded document, never the network, and refuses document type declarations (so no entity
expansion at all); a malformed file is refused naming the line and element.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from lxml import etree

from hub.money.errors import MoneyError, MoneyErrorCode, shown
from hub.money.fx import parse_rate

ECB_NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
GESMES_NAMESPACE = "http://www.gesmes.org/xml/2002-08-01"
MAX_ECB_DOCUMENT_BYTES = 16 * 1024 * 1024
"""Larger than the ECB's whole history since 1999 (about 7 MB): a setting the hub may wire."""
ECB_SOURCE = "ECB"
ECB_PUBLISHED = time(16, 0)
ECB_ZONE = ZoneInfo("Europe/Berlin")
CUBE = f"{{{ECB_NAMESPACE}}}Cube"
ENVELOPE = f"{{{GESMES_NAMESPACE}}}Envelope"
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class EcbDay:
    """The reference rates of one day: 1 EUR = rates[currency] units of it."""

    day: date
    rates: Mapping[str, Decimal]

    @property
    def valid_from(self) -> datetime:
        return ecb_valid_from(self.day)


def ecb_valid_from(day: date) -> datetime:
    """16:00 in Frankfurt on `day`, in UTC: when the ECB's rates of that day are published."""
    return datetime.combine(day, ECB_PUBLISHED, tzinfo=ECB_ZONE).astimezone(UTC)


def _refuse(message: str) -> MoneyError:
    return MoneyError(MoneyErrorCode.INVALID_ECB_DOCUMENT, "document", message)


def _where(element: etree._Element) -> str:
    attributes = " ".join(f"{key!s}={shown(value)}" for key, value in element.attrib.items())
    name = etree.QName(element).localname
    return f"line {element.sourceline}: <{name}{' ' if attributes else ''}{attributes}>"


def _parse_xml(document: bytes, max_bytes: int) -> etree._Element:
    if len(document) > max_bytes:
        raise MoneyError(
            MoneyErrorCode.DOCUMENT_TOO_LARGE,
            "document",
            f"the document is larger than {max_bytes:,} bytes, the bound for an ECB rate file",
        )
    try:
        document.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(f"not UTF-8 (byte {exc.start}), as the ECB's files are") from None
    if b"<!DOCTYPE" in document:
        raise _refuse("document type declarations (<!DOCTYPE ...>) are refused: the ECB's files have none")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        raise _refuse(f"not well-formed XML: {exc}") from None
    return root


def _day(cube: etree._Element) -> date:
    text = cube.get("time")
    if cube.tag != CUBE or text is None or not DAY.fullmatch(text):
        raise _refuse(f"{_where(cube)}: expected <Cube time='YYYY-MM-DD'> holding one day's rates")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(f"{_where(cube)}: {shown(text)} is not a date") from None


def _rates(day_cube: etree._Element) -> dict[str, Decimal]:
    rates: dict[str, Decimal] = {}
    for cube in day_cube:
        currency, rate = cube.get("currency"), cube.get("rate")
        if cube.tag != CUBE or currency is None or rate is None or not CURRENCY_CODE.fullmatch(currency):
            raise _refuse(f"{_where(cube)}: expected <Cube currency='USD' rate='1.0823'>")
        if currency in rates:
            raise _refuse(f"{_where(cube)}: a second rate for {currency} on the same day")
        try:
            rates[currency] = parse_rate(rate)
        except MoneyError as exc:
            raise _refuse(f"{_where(cube)}: {exc.message}") from None
    if not rates:
        raise _refuse(f"{_where(day_cube)}: a day without rates")
    return rates


def parse_ecb(document: bytes, max_bytes: int = MAX_ECB_DOCUMENT_BYTES) -> list[EcbDay]:
    """The days of an ECB reference-rate document, oldest first."""
    root = _parse_xml(document, max_bytes)
    if root.tag != ENVELOPE:
        raise _refuse(f"the root element is <{etree.QName(root).localname}>, not the ECB's <gesmes:Envelope>")
    outer = root.find(CUBE)
    if outer is None:
        raise _refuse(f"line {root.sourceline}: the envelope holds no <Cube> of rates")
    days: dict[date, EcbDay] = {}
    for day_cube in outer:
        day = _day(day_cube)
        if day in days:
            raise _refuse(f"{_where(day_cube)}: {day} appears twice")
        days[day] = EcbDay(day, _rates(day_cube))
    if not days:
        raise _refuse(f"line {outer.sourceline}: the document holds no day of rates")
    return [days[day] for day in sorted(days)]
