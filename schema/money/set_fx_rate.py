"""`setFxRate`: the operator stores a dated FX rate with its source (`hub:admin`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from hub.core.clock import utc_now
from hub.money.fx import FxRate as DomainFxRate
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation
from schema.money.errors import refused_on_error
from schema.money.types import FxRate


@strawberry.input
class SetFxRateInput:
    base: str = strawberry.field(description="ISO 4217 code: 1 `base` = `rate` `quote`.")
    quote: str
    rate: Decimal = strawberry.field(description="Positive, at most 10^12, at most 12 decimal places.")
    source: str = strawberry.field(description="Where the rate comes from (1-64 characters).")
    valid_from: datetime | None = strawberry.field(default=None, description="With a time zone; default: now.")
    idempotency_key: str | None = None


@strawberry.type
class SetFxRatePayload(MutationPayload):
    fx_rate: FxRate | None = None


async def set_fx_rate(info: Info, input: SetFxRateInput) -> SetFxRatePayload:
    async def present(rate: DomainFxRate) -> SetFxRatePayload:
        return SetFxRatePayload(fx_rate=FxRate.of(rate))

    money = info.context.hub.money
    call = money.set_fx_rate(
        info.context.principal,
        input.base,
        input.quote,
        input.rate,
        input.valid_from or utc_now(),
        input.source,
        input.idempotency_key,
    )
    return await run_mutation(SetFxRatePayload, refused_on_error(call), present)
