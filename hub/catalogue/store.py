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
from hub.catalogue.changes import ChangeSet
from hub.catalogue.models import CatalogueItem, ItemImage
from hub.core.canonical_json import canonical_digest
from hub.core.clock import utc_now

# Core tables: bulk inserts through them skip the ORM's per-row bookkeeping.
ITEMS = cast(Table, CatalogueItem.__table__)
IMAGES = cast(Table, ItemImage.__table__)

UNKNOWN_LANGUAGES = frozenset({"und", "none", ""})


def content_hash(record: CatalogueRecord) -> str:
    """SHA-256 of the record's content in canonical JSON, without the partner's datestamp: equal for an unchanged
    record, which is then not rewritten. Its bytes are fixed: a change would rewrite every item on the next harvest."""
    content = [
        record.source_id,
        record.kind.value,
        [[t.lang, t.value] for t in record.titles],
        [[d.lang, d.value] for d in record.descriptions],
        list(record.creators),
        record.period,
        record.earliest_year,
        record.latest_year,
        record.origin_country,
        record.material,
        record.dimensions,
        record.relic_grade.value if record.relic_grade else None,
        record.export_restricted,
        [[i.manifest_url, i.image_url, i.label] for i in record.images],
        record.extra,
    ]
    return canonical_digest(content)


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


def _row_values(institution_id: int, record: CatalogueRecord, digest: str, now: datetime) -> dict[str, Any]:
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
        "content_hash": digest,
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


@dataclass
class _WritePlan:
    """The statements one batch needs, decided before any of them runs."""

    institution_id: int
    now: datetime
    changes: ChangeSet = field(default_factory=ChangeSet)
    new_rows: list[dict[str, Any]] = field(default_factory=list)
    new_records: list[CatalogueRecord] = field(default_factory=list)
    updated_rows: list[dict[str, Any]] = field(default_factory=list)
    updated_images: list[dict[str, Any]] = field(default_factory=list)
    removed_rows: list[dict[str, Any]] = field(default_factory=list)


def _latest_by_source_id(records: Sequence[CatalogueRecord | Tombstone]) -> dict[str, CatalogueRecord | Tombstone]:
    """Within one batch the last record for an id wins."""
    return {record.source_id: record for record in records}


async def _existing_rows(session: AsyncSession, institution_id: int, source_ids: list[str]) -> dict[str, Any]:
    rows = await session.execute(
        select(CatalogueItem.id, CatalogueItem.source_id, CatalogueItem.content_hash, CatalogueItem.deleted_at).where(
            CatalogueItem.institution_id == institution_id, CatalogueItem.source_id.in_(source_ids)
        )
    )
    return {row.source_id: row for row in rows.all()}  # rows of (id, source_id, content_hash, deleted_at)


def _plan(plan: _WritePlan, record: CatalogueRecord | Tombstone, row: Any) -> None:
    """Adds what `record` needs to `plan`: an insert, an update, a tombstone, or nothing when unchanged."""
    if isinstance(record, Tombstone):
        if row is None:
            return  # the deletion of an item the hub never had: nothing to do, nothing to count
        if row.deleted_at is None:
            plan.removed_rows.append({"id": row.id, "deleted_at": record.deleted_at, "updated_at": plan.now})
            plan.changes.removed.append(row.id)
        else:
            plan.changes.unchanged += 1
        return
    digest = content_hash(record)
    if row is None:
        plan.new_rows.append(_row_values(plan.institution_id, record, digest, plan.now) | {"created_at": plan.now})
        plan.new_records.append(record)
    elif row.content_hash == digest and row.deleted_at is None:
        plan.changes.unchanged += 1
    else:
        plan.updated_rows.append(_row_values(plan.institution_id, record, digest, plan.now) | {"id": row.id})
        plan.updated_images += _image_rows(row.id, record)
        plan.changes.changed.append(row.id)


async def _insert_new(session: AsyncSession, plan: _WritePlan) -> None:
    if not plan.new_rows:
        return
    # One executemany and one SELECT: RETURNING with executemany goes row by row on some drivers.
    await session.execute(insert(ITEMS), plan.new_rows)
    inserted = await session.execute(
        select(ITEMS.c.source_id, ITEMS.c.id).where(
            ITEMS.c.institution_id == plan.institution_id,
            ITEMS.c.source_id.in_([r.source_id for r in plan.new_records]),
        )
    )
    new_ids: dict[str, int] = {source_id: item_id for source_id, item_id in inserted.all()}
    new_images: list[dict[str, Any]] = []
    for record in plan.new_records:
        item_id = new_ids[record.source_id]
        plan.changes.added.append(item_id)
        new_images += _image_rows(item_id, record)
    if new_images:
        await session.execute(insert(IMAGES), new_images)


async def _update_changed(session: AsyncSession, plan: _WritePlan) -> None:
    if not plan.updated_rows:
        return
    await session.execute(update(CatalogueItem), plan.updated_rows)
    await session.execute(delete(ItemImage).where(ItemImage.item_id.in_(plan.changes.changed)))
    if plan.updated_images:
        await session.execute(insert(IMAGES), plan.updated_images)


async def _mark_removed(session: AsyncSession, plan: _WritePlan) -> None:
    if plan.removed_rows:
        await session.execute(update(CatalogueItem), plan.removed_rows)


async def store_records(
    session: AsyncSession, institution_id: int, records: Sequence[CatalogueRecord | Tombstone]
) -> ChangeSet:
    """Upserts `records` of one institution on (institution, partner id) inside the caller's transaction.

    A record whose content hash is unchanged is not rewritten; a tombstone marks the item deleted
    (kept for sync and audit, gone from the graph). Within one batch the last record for an id wins.
    """
    latest = _latest_by_source_id(records)
    if not latest:
        return ChangeSet()
    existing = await _existing_rows(session, institution_id, list(latest))
    plan = _WritePlan(institution_id, utc_now())
    for source_id, record in latest.items():
        _plan(plan, record, existing.get(source_id))
    await _insert_new(session, plan)
    await _update_changed(session, plan)
    await _mark_removed(session, plan)
    return plan.changes
