"""The compliance engine at acceptance: trading's `AcceptanceClearance` hook, and the same decision for a
loan's return leg. PROHIBITED starts the transfer BLOCKED (trading returns the escrow in the same transaction),
LICENCE_REQUIRED awaits the documents, ALLOWED goes straight to customs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.clearance.assessment import Assessment, assess, load_item
from hub.clearance.rule_table import Outcome, RuleTable
from hub.core.clock import utc_now
from hub.money.money import Money
from hub.trading.clearance_hook import ClearanceOutcome, TransferFacts
from hub.trading.states import TransferStatus

FIRST_STATES = {
    Outcome.PROHIBITED: TransferStatus.BLOCKED,
    Outcome.LICENCE_REQUIRED: TransferStatus.AWAITING_EXPORT_LICENCE,
    Outcome.ALLOWED: TransferStatus.AWAITING_CUSTOMS,
}


def first_state(assessment: Assessment) -> TransferStatus:
    return FIRST_STATES[assessment.decision.outcome]


async def assess_leg(
    session: AsyncSession,
    table: RuleTable,
    item_id: int,
    export_country: str,
    destination: str,
    value: Money | None,
    purpose: str,
) -> Assessment:
    item = await load_item(session, item_id)
    return await assess(
        session,
        table,
        item,
        destination=destination,
        value=value,
        purpose=purpose,
        at=utc_now(),
        export_country=export_country,
    )


class EngineClearance:
    """Decides each accepted offer with the rule table; the decision record is stored with the transfer."""

    def __init__(self, table: RuleTable) -> None:
        self.table = table

    async def __call__(self, session: AsyncSession, facts: TransferFacts) -> ClearanceOutcome:
        assessment = await assess_leg(
            session,
            self.table,
            facts.item_id,
            facts.origin_country,
            facts.destination_country,
            facts.price,
            facts.kind.value,
        )
        return ClearanceOutcome(first_state(assessment), assessment.as_record())
