"""Reading the ledger back for tests: balances, and every transaction that does not sum to zero."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.app import Hub
from hub.money.models import LedgerAccount, LedgerPosting, LedgerTransaction


async def unbalanced_transactions(hub: Hub) -> list[tuple[str, str, int]]:
    """(transaction, currency, sum) for every transaction whose postings in a currency do not sum to zero."""
    async with hub.sessions() as session:
        rows = await session.execute(
            select(LedgerPosting.transaction_id, LedgerAccount.currency, func.sum(LedgerPosting.amount_minor))
            .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
            .group_by(LedgerPosting.transaction_id, LedgerAccount.currency)
            .having(func.sum(LedgerPosting.amount_minor) != 0)
        )
        return [(txn, currency, int(total)) for txn, currency, total in rows]


async def ledger_size(hub: Hub) -> tuple[int, int, int]:
    """How many accounts, transactions and postings the ledger holds."""
    async with hub.sessions() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(table))
            for table in (LedgerAccount, LedgerTransaction, LedgerPosting)
        ]
    return (int(counts[0] or 0), int(counts[1] or 0), int(counts[2] or 0))
