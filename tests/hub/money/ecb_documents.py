"""ECB reference-rate documents for tests: the daily fixture file, and history documents built like the ECB's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DAILY = FIXTURES / "eurofxref-daily.xml"

ENVELOPE_START = """<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" \
xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
"""
ENVELOPE_END = "\t</Cube>\n</gesmes:Envelope>\n"


def history(days: Mapping[str, Mapping[str, str]]) -> bytes:
    """A document shaped like eurofxref-hist-90d.xml: the days newest first, each with its rates."""
    lines = [ENVELOPE_START]
    for day in sorted(days, reverse=True):
        lines.append(f"\t\t<Cube time='{day}'>\n")
        lines.extend(f"\t\t\t<Cube currency='{code}' rate='{rate}'/>\n" for code, rate in days[day].items())
        lines.append("\t\t</Cube>\n")
    lines.append(ENVELOPE_END)
    return "".join(lines).encode()
