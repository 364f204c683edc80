"""Money queries: the FX rates in force, an institution's escrow balances."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.auth.scopes import TRADE_READ
from schema.core.context import Info
from schema.core.permissions import requires
from schema.money.errors import query_errors
from schema.money.types import EscrowBalance, FxRate


@strawberry.type
class MoneyQuery:
    @strawberry.field(
        description="The rates in force at `at` (default: now), one per pair; `currency`'s only if given."
    )
    async def fx_rates(self, info: Info, at: datetime | None = None, currency: str | None = None) -> list[FxRate]:
        with query_errors(info.context.accept_languages):
            rates = await info.context.hub.money.fx_rates(at, currency)
        return [FxRate.of(rate) for rate in rates]

    @strawberry.field(
        description="The institution's escrow per currency (default: the token's institution): held, released, "
        "returned as buyer, received as seller.",
        permission_classes=[requires(TRADE_READ)],
    )
    async def escrow_balances(self, info: Info, institution: str | None = None) -> list[EscrowBalance]:
        with query_errors(info.context.accept_languages):
            totals = await info.context.hub.money.escrow_summary(info.context.principal, institution)
        return [EscrowBalance.of(total) for total in totals]
