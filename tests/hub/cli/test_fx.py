"""`hub fx import FILE` and `hub fx rates`."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.cli import build_parser
from hub.money.models import FxRateRecord
from tests.hub.money.ecb_documents import DAILY, ENVELOPE_END, ENVELOPE_START

NOT_PUBLISHED_BY_THE_ECB = ("AED", "BHD", "EGP", "KWD", "KZT", "PKR", "RUB", "SAR", "UZS")


async def stored(hub: Hub) -> dict[tuple[str, str, datetime], tuple[Decimal, str]]:
    async with hub.sessions() as session:
        rows = await session.scalars(select(FxRateRecord))
        return {(r.base, r.quote, r.valid_from): (r.rate, r.source) for r in rows}


async def run_fx(hub: Hub, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    args = build_parser().parse_args(list(argv))
    capsys.readouterr()
    status: int = await asyncio.to_thread(args.handler, args, hub.settings)
    out, err = capsys.readouterr()
    return status, out, err


async def test_ecb_import_command_loads_the_file_and_lists_the_rates(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = await run_fx(hub, capsys, "fx", "import", str(DAILY))
    assert status == 0
    assert out.splitlines() == [
        "ECB rates of 2026-11-27: 7 added, 0 already stored",
        "no ECB rate for AED, BHD, EGP, KWD, KZT, PKR, RUB, SAR, UZS: set those with setFxRate or another source",
    ]
    status, out, _ = await run_fx(hub, capsys, "fx", "import", str(DAILY), "--json")
    assert json.loads(out) == {
        "days": ["2026-11-27"],
        "added": 0,
        "unchanged": 7,
        "not_covered": list(NOT_PUBLISHED_BY_THE_ECB),
        "unsupported": json.loads(out)["unsupported"],
    }
    status, out, _ = await run_fx(hub, capsys, "fx", "rates", "--json")
    listed = {(r["base"], r["quote"]): r for r in json.loads(out)}
    assert listed["EUR", "JPY"] == {
        "id": listed["EUR", "JPY"]["id"],
        "base": "EUR",
        "quote": "JPY",
        "rate": "181.27",
        "valid_from": "2026-11-27T15:00:00+00:00",
        "source": "ECB",
    }


async def test_ecb_import_command_refuses_a_50_megabyte_file_by_its_size(
    hub: Hub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    huge = tmp_path / "eurofxref-hist.xml"
    with huge.open("wb") as handle:
        handle.write(ENVELOPE_START.encode())
        for _ in range(50):
            handle.write(b" " * (1024 * 1024))
        handle.write(ENVELOPE_END.encode())
    status, out, err = await run_fx(hub, capsys, "fx", "import", str(huge))
    assert (status, out) == (1, "")
    assert err == "hub: the document is larger than 16,777,216 bytes, the bound for an ECB rate file\n"
    assert await stored(hub) == {}


async def test_ecb_import_command_names_a_missing_file(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = await run_fx(hub, capsys, "fx", "import", "/nonexistent/eurofxref-daily.xml")
    assert status == 1
    assert "No such file or directory: '/nonexistent/eurofxref-daily.xml'" in err
