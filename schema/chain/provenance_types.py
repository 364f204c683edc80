"""Provenance in the graph: an item's registrations and completed transfers, each with its anchors."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from hub.chain.ledger import AnchorState as DomainAnchorState
from hub.provenance.service import ProvenanceEvent as ProvenanceEventView
from hub.provenance.service import Registration, RegistrationAnchor
from schema.chain.types import AnchorState


@strawberry.enum
class ProvenanceEventKind(enum.Enum):
    REGISTERED = "REGISTERED"
    TRANSFERRED = "TRANSFERRED"


@strawberry.type(description="A provenance record's hash on one chain: anchored, or pending with its retry state.")
class ProvenanceAnchor:
    chain: str
    state: AnchorState
    chain_id: int | None
    contract: str | None
    tx_hash: str | None
    block_number: int | None
    attempts: int
    next_retry_at: datetime | None
    last_error: str | None

    @classmethod
    def from_view(cls, view: RegistrationAnchor) -> ProvenanceAnchor:
        state = AnchorState.ANCHORED if view.state is DomainAnchorState.ANCHORED else AnchorState.PENDING
        return cls(
            chain=view.chain,
            state=state,
            chain_id=view.chain_id,
            contract=view.contract,
            tx_hash=view.tx_hash,
            block_number=view.block_number,
            attempts=view.attempts,
            next_retry_at=view.next_retry_at,
            last_error=view.last_error,
        )


@strawberry.type(description="A registration of an item's provenance record (its canonical JSON and hashes).")
class ProvenanceRegistration:
    id: int
    item_hash: str = strawberry.field(description="Hex SHA-256 of `<institution>:<sourceId>`: the registry's key.")
    record_hash: str = strawberry.field(description="Hex SHA-256 of `record`.")
    record: str = strawberry.field(description="RFC 8785 canonical JSON of the item and its completed transfers.")
    registered_at: datetime
    anchors: list[ProvenanceAnchor]

    @classmethod
    def from_view(cls, view: Registration) -> ProvenanceRegistration:
        return cls(
            id=view.id,
            item_hash=view.item_hash,
            record_hash=view.record_hash,
            record=view.record,
            registered_at=view.registered_at,
            anchors=[ProvenanceAnchor.from_view(anchor) for anchor in view.anchors],
        )


@strawberry.type(description="A completed transfer of the item: who to whom, from where to where (no price).")
class ProvenanceTransfer:
    transfer_id: int
    kind: str
    leg: str
    seller: str
    buyer: str
    from_country: str
    to_country: str


@strawberry.type(
    description="A registration of the item's provenance, or a completed transfer with the anchors of the first "
    "registration that holds it (none until one does)."
)
class ProvenanceEvent:
    kind: ProvenanceEventKind
    at: datetime
    anchors: list[ProvenanceAnchor]
    registration: ProvenanceRegistration | None
    transfer: ProvenanceTransfer | None

    @classmethod
    def from_view(cls, view: ProvenanceEventView) -> ProvenanceEvent:
        moved = view.transfer
        transfer = None
        if moved is not None:
            transfer = ProvenanceTransfer(
                transfer_id=int(str(moved["transfer"])),
                kind=str(moved["kind"]),
                leg=str(moved["leg"]),
                seller=str(moved["seller"]),
                buyer=str(moved["buyer"]),
                from_country=str(moved["from"]),
                to_country=str(moved["to"]),
            )
        return cls(
            kind=ProvenanceEventKind(view.kind),
            at=view.at,
            anchors=[ProvenanceAnchor.from_view(anchor) for anchor in view.anchors],
            registration=ProvenanceRegistration.from_view(view.registration) if view.registration else None,
            transfer=transfer,
        )
