"""The normalised record every connector yields, whatever the partner's protocol."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.clip import clip, clip_utf8
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


@dataclass(frozen=True)
class Tombstone:
    """The partner deleted the record with this identifier."""

    source_id: str
    deleted_at: datetime


MAX_REJECTION_REASON = 500
"""Characters of a rejection's reason."""
MAX_REJECTION_EXCERPT = 2048
"""Bytes (UTF-8) of a rejection's excerpt of the raw record."""
MAX_REJECTION_SOURCE_ID = 255


@dataclass(frozen=True)
class RejectedRecord:
    """A partner record that could not be normalised: set aside, not stored in the catalogue.

    `source_id` is the partner's identifier when the record names a usable one, else None. `reason`
    and `excerpt` (the start of the raw record as the partner sent it) are bounded on construction.
    """

    source_id: str | None
    reason: str
    excerpt: str

    def __post_init__(self) -> None:
        source_id = self.source_id.strip() if self.source_id is not None else None
        if not source_id or len(source_id) > MAX_REJECTION_SOURCE_ID:
            source_id = None
        object.__setattr__(self, "source_id", source_id)
        object.__setattr__(self, "reason", clip(self.reason, MAX_REJECTION_REASON))
        object.__setattr__(self, "excerpt", clip_utf8(self.excerpt, MAX_REJECTION_EXCERPT))

    @property
    def key(self) -> str:
        """What identifies this rejection at its partner: the source id, else a hash of the excerpt."""
        if self.source_id is not None:
            return self.source_id
        return "sha256:" + hashlib.sha256(self.excerpt.encode()).hexdigest()


@dataclass(frozen=True)
class Page:
    """Records of one partner response, and the checkpoint that holds once they are stored.

    `records` are stored in the catalogue; `rejected` are the page's records that could not be
    normalised, kept aside with their reason. The checkpoint covers both: it is opaque JSON for the
    hub; only its connector reads it.
    """

    records: list[CatalogueRecord | Tombstone]
    checkpoint: dict[str, Any]
    rejected: list[RejectedRecord] = field(default_factory=list)
