"""Registering an item's provenance and reading it back.

`register` writes, in one transaction: the registration (record and hashes), its audit entry, and one pending
anchor per configured chain; the anchor queue writes it on the chains later (a request never waits for a chain).
The same record registered again (nothing changed since) returns the earlier registration and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.auth.principal import Principal
from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue.models import CatalogueItem, Institution
from hub.chain.ledger import AnchorState
from hub.chain.models import ChainAnchorRow, PendingAnchorRow, ProvenanceRegistration
from hub.core.translations import N_, Message
from hub.core.user_errors import CommonErrorCode, Refused, UserError
from hub.db import SessionFactory
from hub.provenance.records import completed_transfers, provenance_document

ITEM_NOT_FOUND = N_("No catalogue item has the id {item}.")

QueueRegistration = Callable[[AsyncSession, int], Awaitable[None]]


@dataclass(frozen=True)
class RegistrationAnchor:
    chain: str
    state: AnchorState
    chain_id: int | None = None
    contract: str | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    attempts: int = 0
    next_retry_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Registration:
    id: int
    item_id: int
    item_hash: str
    record_hash: str
    record: str
    actor: str
    registered_at: datetime
    anchors: list[RegistrationAnchor] = field(default_factory=list)


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    created: bool


@dataclass(frozen=True)
class ProvenanceEvent:
    """A registration of the record, or a completed transfer (anchored by the first registration holding it)."""

    kind: str  # REGISTERED | TRANSFERRED
    at: datetime
    anchors: list[RegistrationAnchor]
    registration: Registration | None = None
    transfer: dict[str, object] | None = None


class ProvenanceService:
    def __init__(self, sessions: SessionFactory, queue_registration: QueueRegistration) -> None:
        self.sessions = sessions
        self.queue_registration = queue_registration

    async def register(self, principal: Principal, item_id: int | None) -> RegistrationOutcome:
        async with self.sessions.begin() as session:
            item, institution = await _own_item(session, principal, item_id)
            document = await provenance_document(session, item, institution)
            existing = await session.scalar(
                select(ProvenanceRegistration).where(
                    ProvenanceRegistration.item_hash == document.item_hash,
                    ProvenanceRegistration.record_hash == document.record_hash,
                )
            )
            if existing is not None:
                return RegistrationOutcome(await _registration(session, existing), created=False)
            actor = principal.client_id or "unknown"
            row = ProvenanceRegistration(
                item_id=item.id,
                item_hash=document.item_hash,
                record_hash=document.record_hash,
                record=document.record,
                actor=actor,
            )
            session.add(row)
            await session.flush()
            await self.queue_registration(session, row.id)
            await append_entry(
                session,
                actor,
                "provenance.registered",
                f"item:{document.item_key}",
                document.countries,
                {"registration": row.id, "itemHash": document.item_hash, "recordHash": document.record_hash},
            )
            return RegistrationOutcome(await _registration(session, row), created=True)


async def item_provenance(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, list[ProvenanceEvent]]:
    """Each item's registrations and completed transfers, oldest first, with their anchors (public: the record
    holds no price)."""
    rows = await session.scalars(
        select(ProvenanceRegistration)
        .where(ProvenanceRegistration.item_id.in_(item_ids))
        .order_by(ProvenanceRegistration.id)
    )
    registrations = [await _registration(session, row) for row in rows]
    events: dict[int, list[ProvenanceEvent]] = {}
    for item_id in item_ids:
        own = [r for r in registrations if r.item_id == item_id]
        found = [ProvenanceEvent("REGISTERED", r.registered_at, r.anchors, registration=r) for r in own]
        for transfer in await completed_transfers(session, item_id):
            holding = next((r for r in own if transfer["transfer"] in _transfers_in(r)), None)
            at = datetime.fromisoformat(str(transfer["completedAt"])).astimezone(UTC)
            anchors = holding.anchors if holding else []
            found.append(ProvenanceEvent("TRANSFERRED", at, anchors, registration=holding, transfer=transfer))
        events[item_id] = sorted(found, key=lambda event: (event.at, event.kind != "TRANSFERRED"))
    return events


def _transfers_in(registration: Registration) -> set[int]:
    return {int(t["transfer"]) for t in json.loads(registration.record)["transfers"]}


async def _own_item(session: AsyncSession, principal: Principal, item_id: int | None) -> tuple[CatalogueItem, str]:
    row = None
    if item_id is not None:
        row = (
            await session.execute(
                select(CatalogueItem, Institution.code)
                .join(Institution, Institution.id == CatalogueItem.institution_id)
                .where(CatalogueItem.id == item_id, CatalogueItem.deleted_at.is_(None))
            )
        ).first()
    if row is None:
        message = Message("provenance", ITEM_NOT_FOUND, item=item_id)
        raise Refused(UserError(CommonErrorCode.NOT_FOUND, "item_id", message))
    item, institution = row
    principal.bound_to(CATALOGUE_WRITE, institution, "register the provenance of items of")
    return item, institution


async def _registration(session: AsyncSession, row: ProvenanceRegistration) -> Registration:
    anchored = await session.scalars(select(ChainAnchorRow).where(ChainAnchorRow.registration_id == row.id))
    pending = await session.scalars(select(PendingAnchorRow).where(PendingAnchorRow.registration_id == row.id))
    anchors = [
        RegistrationAnchor(a.chain, AnchorState.ANCHORED, a.chain_id, a.contract, a.tx_hash, a.block_number)
        for a in anchored
    ] + [
        RegistrationAnchor(
            p.chain,
            AnchorState.PENDING,
            attempts=p.attempts,
            next_retry_at=datetime.fromtimestamp(p.retry_at, UTC),
            last_error=p.last_error,
        )
        for p in pending
    ]
    return Registration(
        row.id,
        row.item_id,
        row.item_hash,
        row.record_hash,
        row.record,
        row.actor,
        row.registered_at,
        sorted(anchors, key=lambda anchor: anchor.chain),
    )
