"""The normalised record every connector yields, whatever the partner's protocol."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.vocabulary import ItemKind as ItemKind
from connectors.vocabulary import RelicGrade as RelicGrade


@dataclass(frozen=True)
class LocalizedText:
    """A text in one language; `lang` is a BCP 47 tag, or "und" when the partner gave none."""

    lang: str
    value: str


@dataclass(frozen=True)
class ImageRef:
    """An image of an item: a IIIF Presentation manifest and/or a direct image (or IIIF Image service) URL."""

    manifest_url: str | None = None
    image_url: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class CatalogueRecord:
    """One partner record, normalised. `source_id` is the partner's own identifier."""

    source_id: str
    kind: ItemKind
    titles: tuple[LocalizedText, ...]
    updated_at: datetime
    descriptions: tuple[LocalizedText, ...] = ()
    creators: tuple[str, ...] = ()
    period: str | None = None
    earliest_year: int | None = None
    latest_year: int | None = None
    origin_country: str = "CN"
    material: str | None = None
    dimensions: str | None = None
    relic_grade: RelicGrade | None = None
    export_restricted: bool = False
    images: tuple[ImageRef, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def content_hash(self) -> str:
        """SHA-256 over the record's content, excluding the partner's datestamp."""
        content = [
            self.source_id,
            self.kind.value,
            [[t.lang, t.value] for t in self.titles],
            [[d.lang, d.value] for d in self.descriptions],
            list(self.creators),
            self.period,
            self.earliest_year,
            self.latest_year,
            self.origin_country,
            self.material,
            self.dimensions,
            self.relic_grade.value if self.relic_grade else None,
            self.export_restricted,
            [[i.manifest_url, i.image_url, i.label] for i in self.images],
            self.extra,
        ]
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Tombstone:
    """The partner deleted the record with this identifier."""

    source_id: str
    deleted_at: datetime


@dataclass(frozen=True)
class Page:
    """Records of one partner response, and the checkpoint that holds once they are stored.

    The checkpoint is opaque JSON for the hub; only its connector reads it.
    """

    records: list[CatalogueRecord | Tombstone]
    checkpoint: dict[str, Any]
