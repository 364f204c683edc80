"""The provenance record of an item: what it is (the catalogue record's identifying fields and content hash) and
every completed transfer of it (who to whom, from where to where, when; never the price), in RFC 8785
canonical JSON. The registry files it under the item's hash, SHA-256 of `<institution>:<sourceId>`, which stays
the same whatever database the hub runs on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.catalogue.models import CatalogueItem, Institution
from hub.trading.models import Transfer

COMPLETED = "COMPLETED"
RECORD_VERSION = 1


@dataclass(frozen=True)
class ProvenanceDocument:
    item_key: str
    record: str
    """The canonical JSON, exactly as hashed."""
    countries: list[str]
    """The jurisdictions the record touches: the item's origin and every transfer's countries."""

    @property
    def item_hash(self) -> str:
        return hashlib.sha256(self.item_key.encode()).hexdigest()

    @property
    def record_hash(self) -> str:
        return hashlib.sha256(self.record.encode()).hexdigest()


async def completed_transfers(session: AsyncSession, item_id: int) -> list[dict[str, Any]]:
    seller, buyer = aliased(Institution), aliased(Institution)
    rows = await session.execute(
        select(Transfer, seller.code, buyer.code)
        .join(seller, seller.id == Transfer.seller_id)
        .join(buyer, buyer.id == Transfer.buyer_id)
        .where(Transfer.item_id == item_id, Transfer.status == COMPLETED)
        .order_by(Transfer.id)
    )
    return [
        {
            "transfer": transfer.id,
            "kind": transfer.kind,
            "leg": transfer.leg,
            "seller": seller_code,
            "buyer": buyer_code,
            "from": transfer.origin_country,
            "to": transfer.destination_country,
            "completedAt": transfer.updated_at.isoformat(),
        }
        for transfer, seller_code, buyer_code in rows
    ]


async def provenance_document(session: AsyncSession, item: CatalogueItem, institution: str) -> ProvenanceDocument:
    transfers = await completed_transfers(session, item.id)
    document: dict[str, Any] = {
        "version": RECORD_VERSION,
        "item": {
            "institution": institution,
            "sourceId": item.source_id,
            "kind": item.kind,
            "titles": item.titles,
            "creators": item.creators,
            "period": item.period,
            "earliestYear": item.earliest_year,
            "latestYear": item.latest_year,
            "originCountry": item.origin_country,
            "material": item.material,
            "dimensions": item.dimensions,
            "relicGrade": item.relic_grade,
            "contentHash": item.content_hash,
        },
        "transfers": transfers,
    }
    countries = {item.origin_country} | {t["from"] for t in transfers} | {t["to"] for t in transfers}
    record = rfc8785.dumps(document).decode()
    return ProvenanceDocument(f"{institution}:{item.source_id}", record, sorted(c for c in countries if c))
