"""The money domain's mutations, one module each."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import HUB_ADMIN
from schema.core.permissions import requires
from schema.money.set_fx_rate import set_fx_rate


@strawberry.type
class MoneyMutation:
    set_fx_rate = strawberry.mutation(
        resolver=set_fx_rate,
        permission_classes=[requires(HUB_ADMIN)],
        description="Stores a dated FX rate with its source; rates are never overwritten (set a later one).",
    )
