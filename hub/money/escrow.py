"""Escrow on the ledger: a buyer's payment is held at acceptance, then released to the seller at completion or
returned to the buyer when the transfer ends early; exactly once, and exactly what was held.

Postings (a buyer B, a seller S, amount a):
  hold     B's account -a, B's escrow +a     (B's account going negative: what B paid in from outside)
  release  B's escrow -a,  S's account +a    (what the hub owes S, or has paid out to S)
  return   B's escrow -a,  B's account +a
Each operation runs in the caller's database transaction with its ledger postings and its audit entry; the
escrow row's state changes by a conditional update, so of two concurrent settlements only one succeeds.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.money.errors import MoneyError, MoneyErrorCode, shown
from hub.money.ledger import Account, AccountKind, Posting, check_reference, institution_ids, post
from hub.money.models import EscrowHold, LedgerAccount, LedgerPosting, LedgerTransaction
from hub.money.money import Money

HOLD = "escrow.hold"
RELEASE = "escrow.release"
RETURN = "escrow.return"


class EscrowState(enum.Enum):
    HELD = "HELD"
    RELEASED = "RELEASED"
    RETURNED = "RETURNED"


@dataclass(frozen=True, slots=True)
class Escrow:
    reference: str
    buyer: str
    seller: str
    amount: Money
    state: EscrowState
    held_at: datetime
    settled_at: datetime | None
    hold_transaction: str
    settle_transaction: str | None


@dataclass(frozen=True, slots=True)
class EscrowTotals:
    """One institution's escrow in one currency. As buyer: `held` now, `released` to sellers, `returned` to it
    (together, all it paid in). As seller: `received`, released to it."""

    currency: str
    held: Money
    released: Money
    returned: Money
    received: Money


async def hold(
    session: AsyncSession,
    actor: str,
    buyer: str,
    seller: str,
    amount: Money,
    reference: str,
    jurisdictions: Sequence[str] = (),
) -> Escrow:
    """Holds `amount` paid by `buyer` for `reference` (like 'transfer:12'), to go to `seller` or back."""
    check_reference(reference)
    if amount.amount <= 0:
        code = MoneyErrorCode.ZERO_AMOUNT if amount.is_zero() else MoneyErrorCode.NEGATIVE_AMOUNT
        raise MoneyError(code, "amount", f"escrow holds a positive amount, not {amount}")
    ids = await institution_ids(session, [(buyer, "buyer"), (seller, "seller")])
    if await session.scalar(select(EscrowHold.id).where(EscrowHold.reference == reference)) is not None:
        raise _already_held(reference)
    postings = [
        Posting(Account(AccountKind.INSTITUTION, buyer), -amount),
        Posting(Account(AccountKind.ESCROW, buyer), amount),
    ]
    transaction = await post(session, HOLD, reference, postings)
    upsert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    claimed = await session.scalar(
        upsert(EscrowHold)
        .values(
            reference=reference,
            buyer_id=ids[buyer],
            seller_id=ids[seller],
            currency=amount.currency,
            amount_minor=amount.minor,
            state=EscrowState.HELD.value,
            held_at=transaction.at,
            hold_transaction_id=transaction.id,
        )
        .on_conflict_do_nothing()
        .returning(EscrowHold.id)
    )
    if claimed is None:  # held meanwhile by a concurrent transaction: the caller's rollback drops the postings
        raise _already_held(reference)
    escrow = Escrow(reference, buyer, seller, amount, EscrowState.HELD, transaction.at, None, transaction.id, None)
    await _audit(session, actor, "escrow.held", escrow, transaction.id, jurisdictions)
    return escrow


async def release(session: AsyncSession, actor: str, reference: str, jurisdictions: Sequence[str] = ()) -> Escrow:
    """Pays what is held for `reference` to the seller named at the hold."""
    return await _settle(session, actor, reference, EscrowState.RELEASED, jurisdictions)


async def return_to_buyer(
    session: AsyncSession, actor: str, reference: str, jurisdictions: Sequence[str] = ()
) -> Escrow:
    """Gives what is held for `reference` back to the buyer."""
    return await _settle(session, actor, reference, EscrowState.RETURNED, jurisdictions)


async def _settle(
    session: AsyncSession, actor: str, reference: str, outcome: EscrowState, jurisdictions: Sequence[str]
) -> Escrow:
    check_reference(reference)
    now = utc_now()
    row = (
        await session.execute(
            update(EscrowHold)
            .where(EscrowHold.reference == reference, EscrowHold.state == EscrowState.HELD.value)
            .values(state=outcome.value, settled_at=now)
            .returning(
                EscrowHold.id,
                EscrowHold.buyer_id,
                EscrowHold.seller_id,
                EscrowHold.currency,
                EscrowHold.amount_minor,
                EscrowHold.held_at,
                EscrowHold.hold_transaction_id,
            )
        )
    ).one_or_none()
    if row is None:
        raise await _not_held(session, reference)
    hold_id, buyer_id, seller_id, currency, amount_minor, held_at, hold_transaction = row
    codes = await _codes(session, buyer_id, seller_id)
    buyer, seller = codes[buyer_id], codes[seller_id]
    amount = Money.from_minor(amount_minor, currency)
    payee = Account(AccountKind.INSTITUTION, seller if outcome is EscrowState.RELEASED else buyer)
    kind = RELEASE if outcome is EscrowState.RELEASED else RETURN
    postings = [Posting(Account(AccountKind.ESCROW, buyer), -amount), Posting(payee, amount)]
    transaction = await post(session, kind, reference, postings, at=now)
    await session.execute(
        update(EscrowHold).where(EscrowHold.id == hold_id).values(settle_transaction_id=transaction.id)
    )
    escrow = Escrow(reference, buyer, seller, amount, outcome, held_at, now, hold_transaction, transaction.id)
    action = "escrow.released" if outcome is EscrowState.RELEASED else "escrow.returned"
    await _audit(session, actor, action, escrow, transaction.id, jurisdictions)
    return escrow


async def _codes(session: AsyncSession, *ids: int) -> dict[int, str]:
    rows = await session.execute(select(Institution.id, Institution.code).where(Institution.id.in_(ids)))
    return {id_: code for id_, code in rows}


def _already_held(reference: str) -> MoneyError:
    return MoneyError(MoneyErrorCode.ESCROW_ALREADY_HELD, "reference", f"funds are already held for {shown(reference)}")


async def _not_held(session: AsyncSession, reference: str) -> MoneyError:
    existing = await escrow_for(session, reference)
    if existing is None:
        return MoneyError(MoneyErrorCode.ESCROW_NOT_FOUND, "reference", f"no funds were held for {shown(reference)}")
    settled = existing.settled_at.isoformat() if existing.settled_at else "?"
    return MoneyError(
        MoneyErrorCode.ESCROW_ALREADY_SETTLED,
        "reference",
        f"the {existing.amount} held for {shown(reference)} was already {existing.state.value.lower()} at {settled}",
    )


async def _audit(
    session: AsyncSession, actor: str, action: str, escrow: Escrow, transaction: str, jurisdictions: Sequence[str]
) -> None:
    payload = {
        "reference": escrow.reference,
        "buyer": escrow.buyer,
        "seller": escrow.seller,
        "amount": escrow.amount.to_json(),
        "ledger_transaction": transaction,
    }
    await append_entry(
        session, actor=actor, action=action, subject=escrow.reference, jurisdictions=jurisdictions, payload=payload
    )


async def escrow_for(session: AsyncSession, reference: str) -> Escrow | None:
    """The escrow held for `reference`, in whatever state, or None."""
    row = await session.scalar(select(EscrowHold).where(EscrowHold.reference == reference))
    if row is None:
        return None
    codes = await _codes(session, row.buyer_id, row.seller_id)
    return Escrow(
        row.reference,
        codes[row.buyer_id],
        codes[row.seller_id],
        Money.from_minor(row.amount_minor, row.currency),
        EscrowState(row.state),
        row.held_at,
        row.settled_at,
        row.hold_transaction_id,
        row.settle_transaction_id,
    )


async def escrow_summary(session: AsyncSession, institution: str) -> list[EscrowTotals]:
    """The institution's escrow per currency, from the ledger: held, released, returned (as buyer), received."""
    await institution_ids(session, [(institution, "institution")])
    rows = await session.execute(
        select(LedgerAccount.kind, LedgerAccount.currency, LedgerTransaction.kind, func.sum(LedgerPosting.amount_minor))
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerPosting.transaction_id)
        .join(Institution, Institution.id == LedgerAccount.institution_id)
        .where(Institution.code == institution)
        .group_by(LedgerAccount.kind, LedgerAccount.currency, LedgerTransaction.kind)
    )
    sums: dict[str, dict[str, int]] = {}
    for account_kind, currency, transaction_kind, total in rows:
        totals = sums.setdefault(currency, {"held": 0, "released": 0, "returned": 0, "received": 0})
        total = int(total)
        if account_kind == AccountKind.ESCROW.value:
            totals["held"] += total
            if transaction_kind == RELEASE:
                totals["released"] -= total
        elif transaction_kind == RETURN:
            totals["returned"] += total
        elif transaction_kind == RELEASE:
            totals["received"] += total
    return [
        EscrowTotals(currency, **{name: Money.from_minor(units, currency) for name, units in totals.items()})
        for currency, totals in sorted(sums.items())
    ]
