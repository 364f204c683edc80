"""Chain types of the graph: an anchor of an audit checkpoint on one chain, pending or anchored."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from hub.chain.ledger import AnchorState as DomainAnchorState
from hub.chain.ledger import LedgerAnchor as LedgerAnchorView


@strawberry.enum(description="Whether the checkpoint's root is on the chain yet.")
class AnchorState(enum.Enum):
    PENDING = "PENDING"
    ANCHORED = "ANCHORED"


@strawberry.type(description="An audit checkpoint's root on one chain: anchored, or pending with its retry state.")
class LedgerAnchor:
    checkpoint_size: int = strawberry.field(description="The checkpoint's tree size (the entries it covers).")
    root_hash: str = strawberry.field(description="Hex of the checkpoint's Merkle root.")
    chain: str = strawberry.field(description="The chain's name: `embedded`, or scheme://host:port of its node.")
    state: AnchorState
    chain_id: int | None = strawberry.field(description="EIP-155 chain id; set once anchored.")
    contract: str | None = strawberry.field(description="Address of the audit registry the root is recorded in.")
    tx_hash: str | None
    block_number: int | None
    anchored_at: datetime | None
    attempts: int = strawberry.field(description="Failed attempts so far (pending).")
    next_retry_at: datetime | None = strawberry.field(description="When the hub tries the chain again (pending).")
    last_error: str | None = strawberry.field(description="Why the last attempt failed (pending).")

    @classmethod
    def from_view(cls, view: LedgerAnchorView) -> LedgerAnchor:
        return cls(
            checkpoint_size=view.checkpoint_size,
            root_hash=view.root_hash,
            chain=view.chain,
            state=AnchorState.ANCHORED if view.state is DomainAnchorState.ANCHORED else AnchorState.PENDING,
            chain_id=view.chain_id,
            contract=view.contract,
            tx_hash=view.tx_hash,
            block_number=view.block_number,
            anchored_at=view.anchored_at,
            attempts=view.attempts,
            next_retry_at=view.next_retry_at,
            last_error=view.last_error,
        )
