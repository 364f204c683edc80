"""The chain's mutations."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import CATALOGUE_WRITE
from schema.chain.register_provenance import register_provenance
from schema.core.permissions import requires


@strawberry.type
class ChainMutation:
    register_provenance = strawberry.mutation(
        resolver=register_provenance,
        permission_classes=[requires(CATALOGUE_WRITE)],
        description="Registers the canonical hash of an item's record and completed transfers on every chain.",
    )
