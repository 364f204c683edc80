from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hub.money.ecb import MAX_ECB_DOCUMENT_BYTES, parse_ecb
from hub.money.errors import MoneyError, MoneyErrorCode
from tests.hub.money.ecb_documents import DAILY, ENVELOPE_END, ENVELOPE_START, history


def refusal(document: bytes) -> MoneyError:
    with pytest.raises(MoneyError) as refused:
        parse_ecb(document)
    assert refused.value.field == "document"
    return refused.value


def test_ecb_daily_fixture_parses_to_one_day_of_euro_rates_at_1600_frankfurt_time() -> None:
    [day] = parse_ecb(DAILY.read_bytes())
    assert day.day == date(2026, 11, 27)
    assert day.valid_from == datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 16:00 CET
    assert len(day.rates) == 29
    assert day.rates["USD"] == Decimal("1.1602")
    assert day.rates["JPY"] == Decimal("181.27")
    assert day.rates["CNY"] == Decimal("8.2136")
    assert {"AED", "SAR", "KWD", "BHD", "UZS", "KZT", "EGP", "PKR", "RUB"}.isdisjoint(day.rates)


def test_ecb_history_is_returned_oldest_first_with_summer_days_at_1400_utc() -> None:
    days = parse_ecb(history({"2026-10-26": {"USD": "1.1620"}, "2026-10-23": {"USD": "1.1598", "GBP": "0.8711"}}))
    assert [d.day for d in days] == [date(2026, 10, 23), date(2026, 10, 26)]
    assert days[0].valid_from == datetime(2026, 10, 23, 14, 0, tzinfo=UTC)  # 16:00 CEST
    assert days[1].valid_from == datetime(2026, 10, 26, 15, 0, tzinfo=UTC)  # 16:00 CET, after the clocks changed
    assert days[0].rates == {"USD": Decimal("1.1598"), "GBP": Decimal("0.8711")}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
  xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <Cube><Cube time="2026-11-27"><Cube currency="USD" rate="&lol9;"/></Cube></Cube>
</gesmes:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
  xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref"><Cube>&secret;</Cube></gesmes:Envelope>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_ecb_document_type_declarations_are_refused_before_parsing(document: bytes) -> None:
    refused = refusal(document)
    assert refused.code is MoneyErrorCode.INVALID_ECB_DOCUMENT
    assert refused.message.startswith("document type declarations (<!DOCTYPE ...>) are refused")


def test_ecb_document_over_the_size_bound_is_refused_unparsed() -> None:
    fifty_megabytes = ENVELOPE_START.encode() + b" " * (50 * 1024 * 1024) + ENVELOPE_END.encode()
    refused = refusal(fifty_megabytes)
    assert refused.code is MoneyErrorCode.DOCUMENT_TOO_LARGE
    assert (
        refused.message
        == f"the document is larger than {MAX_ECB_DOCUMENT_BYTES:,} bytes, the bound for an ECB rate file"
    )


def test_ecb_document_in_utf16_is_refused() -> None:
    refused = refusal(DAILY.read_text().replace("UTF-8", "UTF-16").encode("utf-16"))
    assert refused.message == "not UTF-8 (byte 0), as the ECB's files are"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<rss version='2.0'><channel/></rss>", "the root element is <rss>, not the ECB's <gesmes:Envelope>"),
        (
            b"<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'/>",
            "line 1: the envelope holds no <Cube> of rates",
        ),
        (ENVELOPE_START.encode() + ENVELOPE_END.encode(), "line 7: the document holds no day of rates"),
        (
            ENVELOPE_START.encode() + b"\t\t<Cube time='2026-11-27'>\n\t\t\t<Cube currency='USD' rate='1.16'/>\n",
            "not well-formed XML: Premature end of data in tag Cube line 8, line 10, column 1 (<string>, line 10)",
        ),
        (history({"2026-11-27": {"USD": "1,1602"}}), "line 9: <Cube currency='USD' rate='1,1602'>: '1,1602' is not"),
        (history({"2026-11-27": {"USD": "-1.1602"}}), "line 9: <Cube currency='USD' rate='-1.1602'>: rate '-1.1602'"),
        (history({"2026-11-27": {"usd": "1.1602"}}), "line 9: <Cube currency='usd' rate='1.1602'>: expected <Cube"),
        (history({"2026-11-31": {"USD": "1.1602"}}), "line 8: <Cube time='2026-11-31'>: '2026-11-31' is not a date"),
        (
            history({"27.11.2026": {"USD": "1.1602"}}),
            "line 8: <Cube time='27.11.2026'>: expected <Cube time='YYYY-MM-DD'>",
        ),
        (history({"2026-11-27": {}}), "line 8: <Cube time='2026-11-27'>: a day without rates"),
    ],
)
def test_ecb_malformed_document_is_refused_naming_line_and_element(document: bytes, message: str) -> None:
    refused = refusal(document)
    assert refused.code is MoneyErrorCode.INVALID_ECB_DOCUMENT
    assert refused.message.startswith(message), refused.message


def test_ecb_day_or_currency_given_twice_is_refused() -> None:
    twice = DAILY.read_bytes().replace(b"<Cube currency='JPY'", b"<Cube currency='USD'")
    assert (
        refusal(twice).message == "line 10: <Cube currency='USD' rate='181.27'>: a second rate for USD on the same day"
    )
    day = b"\t\t<Cube time='2026-11-27'>\n\t\t\t<Cube currency='USD' rate='1.16'/>\n\t\t</Cube>\n"
    repeated = ENVELOPE_START.encode() + day + day + ENVELOPE_END.encode()
    assert refusal(repeated).message == "line 11: <Cube time='2026-11-27'>: 2026-11-27 appears twice"
