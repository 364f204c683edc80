"""`transferUpdates`: every step of the transfers the caller may see (the parties; regulators of their
countries), over graphql-transport-ws, from any hub process."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from schema.core.context import Info
from schema.core.errors import bad_argument
from schema.core.permissions import requires_any
from schema.loaders import Loaders
from schema.trading.ids import TRANSFER, decoded_key
from schema.trading.queries import TRANSFER_READERS
from schema.trading.transfer_types import TransferUpdate


@strawberry.type
class TradingSubscription:
    @strawberry.subscription(
        description="Each state a transfer takes from acceptance on; only one transfer's when `transferId` is given.",
        permission_classes=[requires_any(*TRANSFER_READERS)],
    )
    async def transfer_updates(
        self, info: Info, transfer_id: strawberry.ID | None = None
    ) -> AsyncGenerator[TransferUpdate, None]:
        key = None
        if transfer_id is not None:
            key = decoded_key(str(transfer_id), TRANSFER)
            if key is None:
                raise bad_argument("transfer_id", f"{str(transfer_id)[:40]!r} is not the id of a Transfer")
        async for update in info.context.hub.trading.transfer_updates(info.context.principal, key):
            info.context.loaders = Loaders.create(info.context.hub.sessions)  # each event reads fresh
            yield TransferUpdate.of(update)
