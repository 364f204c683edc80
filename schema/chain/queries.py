"""`ledgerAnchors`: where the latest audit checkpoints stand on each chain."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import AUDIT_READ
from hub.chain.ledger import ledger_anchors
from schema.chain.types import LedgerAnchor
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.permissions import requires


@strawberry.type
class ChainQuery:
    @strawberry.field(
        description="The anchors of the latest `first` checkpoints (at most 100; default 20), or of the checkpoint "
        "of tree size `checkpoint`, on every chain: newest first.",
        permission_classes=[requires(AUDIT_READ)],
    )
    async def ledger_anchors(
        self, info: Info, first: int | None = None, checkpoint: int | None = None
    ) -> list[LedgerAnchor]:
        with domain_errors():
            async with info.context.hub.sessions() as session:
                views = await ledger_anchors(session, info.context.principal, first, checkpoint)
        return [LedgerAnchor.from_view(view) for view in views]
