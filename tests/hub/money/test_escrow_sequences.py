"""Property: under any sequence of holds, releases and returns the ledger balances, each escrow settles at most
once, and every institution's escrow summary moves exactly as a plain model of the sequence says."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.app import Hub
from hub.money import escrow
from hub.money.errors import MoneyError, MoneyErrorCode
from hub.money.escrow import EscrowState
from hub.money.money import Money
from tests.hub.money.ledger_checks import unbalanced_transactions

INSTITUTIONS = ("MNAA", "LAD", "NLC", "CRECC", "TWMM")
CURRENCIES = ("USD", "EUR", "KWD", "JPY")
REFERENCES = 4

holds = st.tuples(
    st.just("hold"),
    st.integers(0, REFERENCES - 1),
    st.sampled_from(INSTITUTIONS),
    st.sampled_from(INSTITUTIONS),
    st.sampled_from(CURRENCIES),
    st.integers(1, 10**12),
)
settlements = st.tuples(st.sampled_from(["release", "return"]), st.integers(0, REFERENCES - 1))
operations = st.lists(st.one_of(holds, settlements), max_size=12)

Totals = dict[tuple[str, str, str], int]
"""(institution, currency, held|released|returned|received) -> minor units"""


@dataclass
class ModelHold:
    buyer: str
    seller: str
    amount: Money
    state: EscrowState = EscrowState.HELD


async def summaries(hub: Hub) -> Totals:
    found: Totals = defaultdict(int)
    async with hub.sessions() as session:
        for code in INSTITUTIONS:
            for t in await escrow.escrow_summary(session, code):
                for name in ("held", "released", "returned", "received"):
                    found[code, t.currency, name] += getattr(t, name).minor
    return found


async def apply(hub: Hub, operation: tuple[object, ...], reference: str) -> None:
    async with hub.sessions.begin() as session:
        if operation[0] == "hold":
            _, _, buyer, seller, currency, units = operation
            amount = Money.from_minor(int(str(units)), str(currency))
            await escrow.hold(session, "property", str(buyer), str(seller), amount, reference)
        elif operation[0] == "release":
            await escrow.release(session, "property", reference)
        else:
            await escrow.return_to_buyer(session, "property", reference)


def expect(
    model: dict[str, ModelHold], operation: tuple[object, ...], reference: str, moved: Totals
) -> MoneyErrorCode | None:
    """What the model says the operation does: the refusal code, or None after recording its effect in `moved`."""
    existing = model.get(reference)
    if operation[0] == "hold":
        if existing is not None:
            return MoneyErrorCode.ESCROW_ALREADY_HELD
        _, _, buyer, seller, currency, units = operation
        new = ModelHold(str(buyer), str(seller), Money.from_minor(int(str(units)), str(currency)))
        model[reference] = new
        moved[new.buyer, new.amount.currency, "held"] += new.amount.minor
        return None
    if existing is None:
        return MoneyErrorCode.ESCROW_NOT_FOUND
    if existing.state is not EscrowState.HELD:
        return MoneyErrorCode.ESCROW_ALREADY_SETTLED
    currency, units = existing.amount.currency, existing.amount.minor
    moved[existing.buyer, currency, "held"] -= units
    if operation[0] == "release":
        existing.state = EscrowState.RELEASED
        moved[existing.buyer, currency, "released"] += units
        moved[existing.seller, currency, "received"] += units
    else:
        existing.state = EscrowState.RETURNED
        moved[existing.buyer, currency, "returned"] += units
    return None


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
async def test_escrow_any_sequence_keeps_the_ledger_balanced_and_settles_once(
    traders: Hub, sequence: list[tuple[object, ...]]
) -> None:
    run = uuid.uuid4().hex[:12]  # examples share the database: each uses references of its own
    before = await summaries(traders)
    model: dict[str, ModelHold] = {}
    moved: Totals = defaultdict(int)
    for operation in sequence:
        reference = f"transfer:{run}-{operation[1]}"
        expected = expect(model, operation, reference, moved)
        try:
            await apply(traders, operation, reference)
        except MoneyError as refused:
            assert refused.code is expected, (operation, refused.message)
        else:
            assert expected is None, operation
    after = await summaries(traders)
    for key in set(before) | set(after) | set(moved):
        assert after[key] - before[key] == moved[key], key
    assert await unbalanced_transactions(traders) == []
    async with traders.sessions() as session:
        for reference, held in model.items():
            stored = await escrow.escrow_for(session, reference)
            assert stored is not None
            assert (stored.state, stored.amount, stored.buyer, stored.seller) == (
                held.state,
                held.amount,
                held.buyer,
                held.seller,
            )
