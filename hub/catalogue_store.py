"""Writing partner records into the catalogue: idempotent upserts, unchanged records left alone, tombstones."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.records import CatalogueRecord, Tombstone
from hub.models import CatalogueItem, ItemImage, utc_now

# Core tables: bulk inserts through them skip the ORM's per-row bookkeeping.
ITEMS = cast(Table, CatalogueItem.__table__)
IMAGES = cast(Table, ItemImage.__table__)

UNKNOWN_LANGUAGES = frozenset({"und", "none", ""})


@dataclass
class ChangeSet:
    """What one write did, by item id: for sync counters and `catalogueChanges` events."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: int = 0

    def extend(self, other: ChangeSet) -> None:
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed
        self.unchanged += other.unchanged

    def as_payload(self) -> dict[str, list[int]]:
        """The audit payload of this write: item ids by what happened to them."""
        return {"added": self.added, "changed": self.changed, "removed": self.removed}

    @property
    def written(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def search_text(record: CatalogueRecord) -> str:
    """Case-folded, NFKC-normalised text of every language the record has, for substring search."""
    parts = [t.value for t in record.titles]
    parts += [d.value for d in record.descriptions]
    parts += list(record.creators)
    if record.period:
        parts.append(record.period)
    return normalise_for_search(" \n ".join(parts))


def normalise_for_search(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def own_language(record: CatalogueRecord) -> str:
    """The language of the record's first title that has one ("und" when none has)."""
    return next((t.lang for t in record.titles if t.lang not in UNKNOWN_LANGUAGES), "und")


def _row_values(institution_id: int, record: CatalogueRecord, content_hash: str, now: datetime) -> dict[str, Any]:
    return {
        "institution_id": institution_id,
        "source_id": record.source_id,
        "kind": record.kind.value,
        "language": own_language(record),
        "titles": [{"lang": t.lang, "value": t.value} for t in record.titles],
        "descriptions": [{"lang": d.lang, "value": d.value} for d in record.descriptions],
        "creators": list(record.creators),
        "period": record.period,
        "earliest_year": record.earliest_year,
        "latest_year": record.latest_year,
        "origin_country": record.origin_country,
        "material": record.material,
        "dimensions": record.dimensions,
        "relic_grade": record.relic_grade.value if record.relic_grade else None,
        "export_restricted": record.export_restricted,
        "extra": record.extra,
        "search_text": search_text(record),
        "content_hash": content_hash,
        "source_updated_at": record.updated_at,
        "deleted_at": None,
        "updated_at": now,
    }


def _image_rows(item_id: int, record: CatalogueRecord) -> list[dict[str, Any]]:
    return [
        {
            "item_id": item_id,
            "position": position,
            "manifest_url": image.manifest_url,
            "image_url": image.image_url,
            "label": image.label,
        }
        for position, image in enumerate(record.images)
    ]


async def store_records(
    session: AsyncSession, institution_id: int, records: Sequence[CatalogueRecord | Tombstone]
) -> ChangeSet:
    """Upserts `records` of one institution on (institution, partner id) inside the caller's transaction.

    A record whose content hash is unchanged is not rewritten; a tombstone marks the item deleted
    (kept for sync and audit, gone from the graph). Within one batch the last record for an id wins.
    """
    latest: dict[str, CatalogueRecord | Tombstone] = {}
    for record in records:
        latest[record.source_id] = record
    if not latest:
        return ChangeSet()
    existing = {
        row.source_id: row
        for row in (
            await session.execute(
                select(
                    CatalogueItem.id,
                    CatalogueItem.source_id,
                    CatalogueItem.content_hash,
                    CatalogueItem.deleted_at,
                ).where(
                    CatalogueItem.institution_id == institution_id,
                    CatalogueItem.source_id.in_(list(latest)),
                )
            )
        ).all()
    }
    now = utc_now()
    changes = ChangeSet()
    new_rows: list[dict[str, Any]] = []
    new_records: list[CatalogueRecord] = []
    updated_rows: list[dict[str, Any]] = []
    updated_images: list[dict[str, Any]] = []
    removed_rows: list[dict[str, Any]] = []
    for source_id, record in latest.items():
        row = existing.get(source_id)
        if isinstance(record, Tombstone):
            if row is not None and row.deleted_at is None:
                removed_rows.append({"id": row.id, "deleted_at": record.deleted_at, "updated_at": now})
                changes.removed.append(row.id)
            else:
                changes.unchanged += 1
            continue
        content_hash = record.content_hash()
        if row is None:
            new_rows.append(_row_values(institution_id, record, content_hash, now) | {"created_at": now})
            new_records.append(record)
        elif row.content_hash == content_hash and row.deleted_at is None:
            changes.unchanged += 1
        else:
            updated_rows.append(_row_values(institution_id, record, content_hash, now) | {"id": row.id})
            updated_images += _image_rows(row.id, record)
            changes.changed.append(row.id)
    if new_rows:
        # One executemany and one SELECT: RETURNING with executemany goes row by row on some drivers.
        await session.execute(insert(ITEMS), new_rows)
        inserted = await session.execute(
            select(ITEMS.c.source_id, ITEMS.c.id).where(
                ITEMS.c.institution_id == institution_id,
                ITEMS.c.source_id.in_([r.source_id for r in new_records]),
            )
        )
        new_ids: dict[str, int] = {source_id: item_id for source_id, item_id in inserted.all()}
        new_images: list[dict[str, Any]] = []
        for record in new_records:
            item_id = new_ids[record.source_id]
            changes.added.append(item_id)
            new_images += _image_rows(item_id, record)
        if new_images:
            await session.execute(insert(IMAGES), new_images)
    if updated_rows:
        await session.execute(update(CatalogueItem), updated_rows)
        await session.execute(delete(ItemImage).where(ItemImage.item_id.in_(changes.changed)))
        if updated_images:
            await session.execute(insert(IMAGES), updated_images)
    if removed_rows:
        await session.execute(update(CatalogueItem), removed_rows)
    return changes
