from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.audit.models import AuditEntry
from hub.money import escrow
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.escrow import Escrow, EscrowState, EscrowTotals
from hub.money.ledger import Account, AccountKind, balance
from hub.money.money import Money
from tests.hub.money.conftest import audit_log
from tests.hub.money.ledger_checks import ledger_size, unbalanced_transactions

ACTOR = "mnaa-trading-app"


def usd(amount: str) -> Money:
    return Money.parse(amount, "USD", allow_negative=True)


async def hold(
    hub: Hub, amount: Money, reference: str = "transfer:1", buyer: str = "MNAA", seller: str = "TWMM"
) -> Escrow:
    async with hub.sessions.begin() as session:
        return await escrow.hold(session, ACTOR, buyer, seller, amount, reference, jurisdictions=["CN", "FR"])


async def release(hub: Hub, reference: str = "transfer:1") -> Escrow:
    async with hub.sessions.begin() as session:
        return await escrow.release(session, "hub:clearance", reference)


async def give_back(hub: Hub, reference: str = "transfer:1") -> Escrow:
    async with hub.sessions.begin() as session:
        return await escrow.return_to_buyer(session, "mnaa-trading-app", reference)


async def summary(hub: Hub, institution: str) -> list[EscrowTotals]:
    async with hub.sessions() as session:
        return await escrow.escrow_summary(session, institution)


async def balances(hub: Hub, currency: str = "USD") -> dict[str, Money]:
    accounts = {
        "MNAA": Account(AccountKind.INSTITUTION, "MNAA"),
        "MNAA escrow": Account(AccountKind.ESCROW, "MNAA"),
        "TWMM": Account(AccountKind.INSTITUTION, "TWMM"),
    }
    async with hub.sessions() as session:
        return {name: await balance(session, account, currency) for name, account in accounts.items()}


def totals(
    currency: str, held: str = "0", released: str = "0", returned: str = "0", received: str = "0"
) -> EscrowTotals:
    return EscrowTotals(currency, *(Money.parse(v, currency) for v in (held, released, returned, received)))


async def test_escrow_hold_moves_the_buyers_payment_into_its_escrow(traders: Hub) -> None:
    held = await hold(traders, usd("250000"))
    assert (held.reference, held.buyer, held.seller, held.amount, held.state) == (
        "transfer:1",
        "MNAA",
        "TWMM",
        usd("250000"),
        EscrowState.HELD,
    )
    assert await balances(traders) == {"MNAA": usd("-250000"), "MNAA escrow": usd("250000"), "TWMM": usd("0")}
    assert await summary(traders, "MNAA") == [totals("USD", held="250000")]
    assert await summary(traders, "TWMM") == []
    [(actor, action, subject, payload)] = await audit_log(traders)
    assert (actor, action, subject) == (ACTOR, "escrow.held", "transfer:1")
    assert payload == {
        "reference": "transfer:1",
        "buyer": "MNAA",
        "seller": "TWMM",
        "amount": {"amount": "250000.00", "currency": "USD"},
        "ledger_transaction": held.hold_transaction,
    }
    async with traders.sessions() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None and entry.jurisdictions == ["CN", "FR"]


async def test_escrow_release_pays_the_seller_exactly_once(traders: Hub) -> None:
    await hold(traders, usd("250000"))
    released = await release(traders)
    assert (released.state, released.settle_transaction is not None) == (EscrowState.RELEASED, True)
    assert isinstance(released.settled_at, datetime)
    assert await balances(traders) == {"MNAA": usd("-250000"), "MNAA escrow": usd("0"), "TWMM": usd("250000")}
    assert await summary(traders, "MNAA") == [totals("USD", released="250000")]
    assert await summary(traders, "TWMM") == [totals("USD", received="250000")]
    for settle in (release, give_back):
        with pytest.raises(MoneyError) as refused:
            await settle(traders)
        assert refused.value.code is MoneyErrorCode.ESCROW_ALREADY_SETTLED
        assert refused.value.message.startswith("the 250000.00 USD held for 'transfer:1' was already released at 20")
    assert [action for _, action, _, _ in await audit_log(traders)] == ["escrow.held", "escrow.released"]
    assert await ledger_size(traders) == (3, 2, 4)


async def test_escrow_return_gives_the_buyer_back_what_was_held(traders: Hub) -> None:
    await hold(traders, usd("1200.50"))
    returned = await give_back(traders)
    assert returned.state is EscrowState.RETURNED
    assert await balances(traders) == {"MNAA": usd("0"), "MNAA escrow": usd("0"), "TWMM": usd("0")}
    assert await summary(traders, "MNAA") == [totals("USD", returned="1200.50")]
    with pytest.raises(MoneyError) as refused:
        await release(traders)
    assert refused.value.code is MoneyErrorCode.ESCROW_ALREADY_SETTLED
    assert "was already returned at" in refused.value.message
    async with traders.sessions() as session:
        stored = await escrow.escrow_for(session, "transfer:1")
    assert stored == returned


async def test_escrow_summary_is_per_currency_from_the_buyers_and_the_sellers_side(traders: Hub) -> None:
    await hold(traders, usd("100"), "transfer:1")
    await hold(traders, Money.parse("80000", "EUR"), "transfer:2", seller="CRECC")
    await hold(traders, Money.parse("367250", "AED"), "transfer:3", buyer="LAD", seller="TWMM")
    await hold(traders, Money.parse("1500000", "JPY"), "transfer:4", buyer="LAD", seller="MNAA")
    await release(traders, "transfer:1")
    await give_back(traders, "transfer:2")
    await release(traders, "transfer:3")
    await release(traders, "transfer:4")
    assert await summary(traders, "MNAA") == [
        totals("EUR", returned="80000"),
        totals("JPY", received="1500000"),
        totals("USD", released="100"),
    ]
    assert await summary(traders, "LAD") == [totals("AED", released="367250"), totals("JPY", released="1500000")]
    assert await summary(traders, "TWMM") == [totals("AED", received="367250"), totals("USD", received="100")]
    assert await unbalanced_transactions(traders) == []


@pytest.mark.parametrize(
    ("buyer", "seller", "amount", "reference", "code", "field"),
    [
        ("MNAA", "TWMM", usd("0"), "transfer:9", MoneyErrorCode.ZERO_AMOUNT, "amount"),
        ("MNAA", "TWMM", usd("-5"), "transfer:9", MoneyErrorCode.NEGATIVE_AMOUNT, "amount"),
        ("BM", "TWMM", usd("5"), "transfer:9", MoneyErrorCode.UNKNOWN_INSTITUTION, "buyer"),
        ("MNAA", "NPM", usd("5"), "transfer:9", MoneyErrorCode.UNKNOWN_INSTITUTION, "seller"),
        ("MNAA", "TWMM", usd("5"), "", MoneyErrorCode.INVALID_REFERENCE, "reference"),
        ("MNAA", "TWMM", usd("5"), "t" * 256, MoneyErrorCode.INVALID_REFERENCE, "reference"),
        ("MNAA", "TWMM", usd("5"), "transfer:1", MoneyErrorCode.ESCROW_ALREADY_HELD, "reference"),
    ],
)
async def test_escrow_refused_hold_writes_nothing(
    traders: Hub, buyer: str, seller: str, amount: Money, reference: str, code: MoneyErrorCode, field: str
) -> None:
    await hold(traders, usd("100"), "transfer:1")
    before, log = await ledger_size(traders), await audit_log(traders)
    with pytest.raises(MoneyError) as refused:
        await hold(traders, amount, reference, buyer, seller)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert await ledger_size(traders) == before
    assert await audit_log(traders) == log


async def test_escrow_settling_what_was_never_held_is_refused(traders: Hub) -> None:
    with pytest.raises(MoneyError) as refused:
        await release(traders, "transfer:404")
    assert (refused.value.code, refused.value.message) == (
        MoneyErrorCode.ESCROW_NOT_FOUND,
        "no funds were held for 'transfer:404'",
    )


async def test_escrow_hold_is_undone_with_the_callers_transaction(traders: Hub) -> None:
    with pytest.raises(RuntimeError, match="compliance refused"):
        async with traders.sessions.begin() as session:
            await escrow.hold(session, ACTOR, "MNAA", "TWMM", usd("100"), "transfer:1")
            raise RuntimeError("compliance refused the transfer after the hold")
    assert await ledger_size(traders) == (0, 0, 0)
    assert await audit_log(traders) == []
    async with traders.sessions() as session:
        assert await escrow.escrow_for(session, "transfer:1") is None


async def test_escrow_concurrent_release_and_return_settle_once(traders: Hub) -> None:
    await hold(traders, usd("5000"))
    outcomes = await asyncio.gather(release(traders), give_back(traders), return_exceptions=True)
    settled = [o for o in outcomes if isinstance(o, Escrow)]
    refused = [o for o in outcomes if isinstance(o, MoneyError)]
    assert len(settled) == 1 and len(refused) == 1, outcomes
    assert refused[0].code is MoneyErrorCode.ESCROW_ALREADY_SETTLED
    seller_paid = settled[0].state is EscrowState.RELEASED
    assert await balances(traders) == {
        "MNAA": usd("-5000" if seller_paid else "0"),
        "MNAA escrow": usd("0"),
        "TWMM": usd("5000" if seller_paid else "0"),
    }
    assert len(await audit_log(traders)) == 2


async def test_escrow_audit_payload_holds_the_amount_as_a_string(traders: Hub) -> None:
    await hold(traders, Money.parse("0.5", "KWD"))
    async with traders.sessions() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert json.loads(entry.payload)["amount"] == {"amount": "0.500", "currency": "KWD"}
