"""Clearance steps raced on PostgreSQL: of concurrent grants of one permit and concurrent confirmations of one
delivery, exactly one applies; the others are refused and the escrow is paid once."""

from __future__ import annotations

import asyncio
import os

import httpx
import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.clearance.models import LicenceDecision
from hub.money.models import EscrowHold
from tests.schema.clearance.support import PERMIT, declaration, done, later, mutate, open_market, sell, tokens

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("HUB_TEST_DATABASE_URL"), reason="races need PostgreSQL's row locks"),
]


async def test_concurrent_grants_and_confirmations_apply_once(hub: Hub, client: httpx.AsyncClient) -> None:
    ids = await open_market(hub)
    minted = await tokens(hub)
    transfer = (await sell(client, minted, ids["TW-1985"], "TWMM", "PGAL", "20000"))["transfer"]["id"]
    grants = [
        {
            "transferId": transfer,
            "document": PERMIT,
            "grant": True,
            "referenceNumber": f"SX-{n}",
            "validUntil": later(9),
        }
        for n in range(6)
    ]
    answers = await asyncio.gather(*(mutate(client, "decideExportLicence", g, minted["cn_licences"]) for g in grants))
    applied = [a for a in answers if not a["errors"]]
    assert len(applied) == 1
    assert {e["code"] for a in answers for e in a["errors"]} <= {"WRONG_STATE", "DOCUMENT_ALREADY_DECIDED"}
    async with hub.sessions() as session:
        [reference] = list(await session.scalars(select(LicenceDecision.reference_number)))

    await done(client, "fileCustomsDeclaration", declaration(transfer, [reference]), minted["TWMM"])
    await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["cn_customs"])
    await done(client, "clearCustoms", {"transferId": transfer, "verdict": "CLEAR"}, minted["fr_customs"])
    confirm = {"transferId": transfer}
    answers = await asyncio.gather(*(mutate(client, "confirmDelivery", confirm, minted["PGAL"]) for _ in range(6)))
    assert [a["transfer"]["state"] for a in answers if not a["errors"]] == ["COMPLETED"]
    assert {e["code"] for a in answers for e in a["errors"]} == {"WRONG_STATE"}
    async with hub.sessions() as session:
        assert list(await session.scalars(select(EscrowHold.state))) == ["RELEASED"]
