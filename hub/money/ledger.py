"""The double-entry ledger: one function, `post`, writes a transaction and its postings, and only when they
balance in every currency.

Accounts belong to an institution: its own account with the hub (kind `institution`) and the escrow holding
its payments (kind `escrow`), one of each per currency, made on first use. Amounts are stored as integer minor
units. The database checks the balance too (alembic/versions/0004_money.py): postings are written first and
their transaction row last; inserting that row checks the sums (SQLite) or a deferred constraint trigger checks
them at commit (PostgreSQL); postings cannot be changed, nor added to a transaction already written.
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.models import Institution
from hub.core.clock import utc_now
from hub.money.errors import MoneyError, MoneyErrorCode, shown
from hub.money.models import LedgerAccount, LedgerPosting, LedgerTransaction
from hub.money.money import Money

MAX_KIND_LENGTH = 32
MAX_REFERENCE_LENGTH = 255
MAX_POSTINGS = 100


class AccountKind(enum.Enum):
    INSTITUTION = "institution"
    ESCROW = "escrow"


@dataclass(frozen=True, slots=True)
class Account:
    """An account in the ledger, by owner; its currency is that of the amounts posted to it."""

    kind: AccountKind
    institution: str


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    amount: Money
    """Positive: the account receives; negative: it gives."""


@dataclass(frozen=True, slots=True)
class PostedTransaction:
    id: str
    at: datetime
    kind: str
    reference: str
    postings: tuple[Posting, ...]


def check_reference(reference: object, field: str = "reference") -> str:
    if not isinstance(reference, str) or not 0 < len(reference) <= MAX_REFERENCE_LENGTH or not reference.isprintable():
        raise MoneyError(
            MoneyErrorCode.INVALID_REFERENCE,
            field,
            f"reference must be 1-{MAX_REFERENCE_LENGTH} printable characters like 'transfer:12', "
            f"not {shown(reference)}",
        )
    return reference


def check_balanced(postings: Sequence[Posting]) -> None:
    """Refuses postings that do not sum to zero in every currency (or are too few, or zero)."""
    if not 2 <= len(postings) <= MAX_POSTINGS:
        raise MoneyError(
            MoneyErrorCode.UNBALANCED_TRANSACTION,
            "postings",
            f"a ledger transaction needs 2-{MAX_POSTINGS} postings, not {len(postings)}",
        )
    totals: dict[str, int] = defaultdict(int)
    for posting in postings:
        if posting.amount.is_zero():
            raise MoneyError(
                MoneyErrorCode.UNBALANCED_TRANSACTION, "postings", f"a posting of {posting.amount} moves nothing"
            )
        totals[posting.amount.currency] += posting.amount.minor
    for currency, total in sorted(totals.items()):
        if total:
            off = Money.from_minor(total, currency)
            raise MoneyError(
                MoneyErrorCode.UNBALANCED_TRANSACTION, "postings", f"the postings in {currency} sum to {off}, not 0"
            )


async def institution_ids(session: AsyncSession, codes: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Ids of institutions by code; `codes` pairs each code with the field it came from, for the refusal."""
    wanted = dict(codes)
    rows = await session.execute(select(Institution.code, Institution.id).where(Institution.code.in_(wanted)))
    found: dict[str, int] = {code: id_ for code, id_ in rows.all()}
    for code, field in wanted.items():
        if code not in found:
            raise MoneyError(MoneyErrorCode.UNKNOWN_INSTITUTION, field, f"unknown institution {shown(code)}")
    return found


AccountKey = tuple[str, int, str]
"""(kind, institution id, currency)"""


async def account_ids(session: AsyncSession, keys: set[AccountKey]) -> dict[AccountKey, int]:
    """Ids of the accounts, creating those that do not exist yet (safely when another transaction does too)."""
    dialect = session.get_bind().dialect.name
    rows = [{"kind": k, "institution_id": i, "currency": c, "created_at": utc_now()} for k, i, c in sorted(keys)]
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(upsert(LedgerAccount).on_conflict_do_nothing(), rows)
    found = await session.execute(
        select(LedgerAccount.kind, LedgerAccount.institution_id, LedgerAccount.currency, LedgerAccount.id).where(
            tuple_(LedgerAccount.kind, LedgerAccount.institution_id, LedgerAccount.currency).in_(sorted(keys))
        )
    )
    return {(kind, institution, currency): id_ for kind, institution, currency, id_ in found.all()}


async def post(
    session: AsyncSession, kind: str, reference: str, postings: Sequence[Posting], at: datetime | None = None
) -> PostedTransaction:
    """Writes one balanced ledger transaction in the caller's database transaction; refuses an unbalanced one
    before writing anything. The only code that writes postings."""
    if not 0 < len(kind) <= MAX_KIND_LENGTH:
        raise ValueError(f"ledger transaction kind must be 1-{MAX_KIND_LENGTH} characters, not {kind!r}")
    check_reference(reference)
    check_balanced(postings)
    ids = await institution_ids(session, ((p.account.institution, "institution") for p in postings))
    keys = [(p.account.kind.value, ids[p.account.institution], p.amount.currency) for p in postings]
    accounts = await account_ids(session, set(keys))
    transaction = PostedTransaction(uuid.uuid4().hex, at or utc_now(), kind, reference, tuple(postings))
    await session.execute(
        insert(LedgerPosting),
        [
            {"transaction_id": transaction.id, "account_id": accounts[key], "amount_minor": posting.amount.minor}
            for key, posting in zip(keys, postings, strict=True)
        ],
    )
    await session.execute(
        insert(LedgerTransaction).values(id=transaction.id, at=transaction.at, kind=kind, reference=reference)
    )
    return transaction


async def balance(session: AsyncSession, account: Account, currency: str) -> Money:
    """The sum of everything posted to `account` in `currency` (zero for an account not used yet)."""
    total = await session.scalar(
        select(func.sum(LedgerPosting.amount_minor))
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .join(Institution, Institution.id == LedgerAccount.institution_id)
        .where(
            LedgerAccount.kind == account.kind.value,
            Institution.code == account.institution,
            LedgerAccount.currency == currency,
        )
    )
    return Money.from_minor(int(total or 0), currency)
