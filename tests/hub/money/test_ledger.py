from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hub.app import Hub
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.ledger import Account, AccountKind, PostedTransaction, Posting, balance, post
from hub.money.models import LedgerAccount
from hub.money.money import Money
from tests.hub.money.ledger_checks import ledger_size, unbalanced_transactions

MNAA = Account(AccountKind.INSTITUTION, "MNAA")
MNAA_ESCROW = Account(AccountKind.ESCROW, "MNAA")
TWMM = Account(AccountKind.INSTITUTION, "TWMM")


def usd(amount: str) -> Money:
    return Money.parse(amount, "USD", allow_negative=True)


async def post_now(hub: Hub, *postings: Posting, kind: str = "escrow.hold") -> PostedTransaction:
    async with hub.sessions.begin() as session:
        return await post(session, kind, "transfer:1", list(postings))


async def test_ledger_balanced_transaction_is_written_with_its_postings(traders: Hub) -> None:
    posted = await post_now(traders, Posting(MNAA, usd("-250000")), Posting(MNAA_ESCROW, usd("250000")))
    assert (posted.kind, posted.reference, len(posted.id)) == ("escrow.hold", "transfer:1", 32)
    async with traders.sessions() as session:
        assert await balance(session, MNAA, "USD") == usd("-250000")
        assert await balance(session, MNAA_ESCROW, "USD") == usd("250000")
        assert await balance(session, MNAA, "EUR") == Money.zero("EUR")
    assert await ledger_size(traders) == (2, 1, 2)


async def test_ledger_accounts_are_made_once_per_owner_and_currency(traders: Hub) -> None:
    for _ in range(3):
        await post_now(traders, Posting(MNAA, usd("-1")), Posting(TWMM, usd("1")))
    await post_now(
        traders, Posting(MNAA, Money.parse("-1", "EUR", allow_negative=True)), Posting(TWMM, Money.parse("1", "EUR"))
    )
    async with traders.sessions() as session:
        accounts = [tuple(row) for row in await session.execute(select(LedgerAccount.kind, LedgerAccount.currency))]
    assert sorted(accounts) == [("institution", "EUR")] * 2 + [("institution", "USD")] * 2


@pytest.mark.parametrize(
    ("postings", "message"),
    [
        ([Posting(MNAA, usd("-100")), Posting(TWMM, usd("99.99"))], "the postings in USD sum to -0.01 USD, not 0"),
        (
            [Posting(MNAA, usd("-100")), Posting(TWMM, Money.parse("100", "EUR"))],
            "the postings in EUR sum to 100.00 EUR, not 0",
        ),
        ([Posting(MNAA, usd("-100"))], "a ledger transaction needs 2-100 postings, not 1"),
        ([Posting(MNAA, usd("0")), Posting(TWMM, usd("0"))], "a posting of 0.00 USD moves nothing"),
    ],
)
async def test_ledger_unbalanced_postings_are_refused_before_anything_is_written(
    traders: Hub, postings: list[Posting], message: str
) -> None:
    with pytest.raises(MoneyError) as refused:
        await post_now(traders, *postings)
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        MoneyErrorCode.UNBALANCED_TRANSACTION,
        "postings",
        message,
    )
    assert await ledger_size(traders) == (0, 0, 0)


async def test_ledger_unknown_institution_is_refused(traders: Hub) -> None:
    with pytest.raises(MoneyError) as refused:
        await post_now(traders, Posting(MNAA, usd("-1")), Posting(Account(AccountKind.INSTITUTION, "BM"), usd("1")))
    assert (refused.value.code, refused.value.message) == (
        MoneyErrorCode.UNKNOWN_INSTITUTION,
        "unknown institution 'BM'",
    )
    assert await ledger_size(traders) == (0, 0, 0)


async def account_id(hub: Hub, kind: str) -> int:
    async with hub.sessions() as session:
        return int(await session.scalar(select(LedgerAccount.id).where(LedgerAccount.kind == kind)) or 0)


async def test_ledger_database_refuses_an_unbalanced_transaction_written_around_post(traders: Hub) -> None:
    await post_now(traders, Posting(MNAA, usd("-5")), Posting(MNAA_ESCROW, usd("5")))
    escrow = await account_id(traders, "escrow")
    with pytest.raises(DBAPIError, match="does not sum to zero in"):
        async with traders.sessions.begin() as session:
            await session.execute(
                text("INSERT INTO ledger_postings (transaction_id, account_id, amount_minor) VALUES (:t, :a, 500)"),
                {"t": "f" * 32, "a": escrow},
            )
            await session.execute(
                text(
                    "INSERT INTO ledger_transactions (id, at, kind, reference) VALUES (:t, CURRENT_TIMESTAMP, 'x', 'x')"
                ),
                {"t": "f" * 32},
            )
    assert await ledger_size(traders) == (2, 1, 2)
    assert await unbalanced_transactions(traders) == []


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE ledger_postings SET amount_minor = amount_minor * 2", "ledger postings cannot be changed"),
        ("DELETE FROM ledger_postings WHERE account_id = {escrow}", "cannot be deleted|does not sum to zero in USD"),
        (
            "INSERT INTO ledger_postings (transaction_id, account_id, amount_minor) VALUES ('{posted}', {escrow}, 1)",
            "ledger transaction .*already written",
        ),
    ],
    ids=["change", "delete-one", "add-to-written"],
)
async def test_ledger_database_keeps_written_postings_as_they_are(traders: Hub, statement: str, refusal: str) -> None:
    posted = await post_now(traders, Posting(MNAA, usd("-5")), Posting(MNAA_ESCROW, usd("5")))
    escrow = await account_id(traders, "escrow")
    with pytest.raises(DBAPIError, match=refusal):
        async with traders.sessions.begin() as session:
            await session.execute(text(statement.format(escrow=escrow, posted=posted.id)))
    async with traders.sessions() as session:
        assert await balance(session, MNAA_ESCROW, "USD") == usd("5")
    assert await ledger_size(traders) == (2, 1, 2)
