"""Storing partner records: the content hash that decides whether an item is rewritten."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, RelicGrade
from hub.catalogue.store import content_hash

CAMEL = CatalogueRecord(
    source_id="CR-0042",
    kind=ItemKind.CERAMIC,
    titles=(LocalizedText("zh", "三彩骆驼载乐俑"), LocalizedText("en", "Sancai camel carrying musicians")),
    updated_at=datetime(2025, 3, 1, 8, 0, tzinfo=UTC),
    descriptions=(LocalizedText("en", 'Glazed earthenware, "Tang" tomb figure\nfrom Xi\'an.'),),
    creators=("佚名",),
    period="Tang",
    earliest_year=723,
    latest_year=756,
    origin_country="CN",
    material="earthenware",
    dimensions="58.4 × 41 cm",
    relic_grade=RelicGrade.GRADE_1,
    export_restricted=True,
    images=(
        ImageRef("https://iiif.example.org/CR-0042/manifest.json", None, "正面"),
        ImageRef(None, "https://iiif.example.org/img/CR-0042-2", None),
    ),
    extra={"category": "figure", "languages": ["chi", "eng"], "z": None, "a": 1},
)


def test_content_hash_keeps_the_bytes_stored_before_it_moved_into_the_hub() -> None:
    # Computed by `CatalogueRecord.content_hash` (connectors) before the hash moved here: every item stored
    # since carries these values, and a different one would rewrite every item on the next harvest.
    assert content_hash(CAMEL) == "e0a1fbb8d60b9eeea84fcda5e7efbe745c0aa48d0c515701b3db307ca9722d82"
    minimal = CatalogueRecord("NLC-1", ItemKind.BOOK, (LocalizedText("und", "x"),), datetime(2025, 1, 1, tzinfo=UTC))
    assert content_hash(minimal) == "d0f72b343db229b2755e07ababe89e47b8ca8f38d758870494bafc55bbed66d5"


def test_content_hash_ignores_the_partner_datestamp_but_not_the_content() -> None:
    assert content_hash(replace(CAMEL, updated_at=datetime(2026, 1, 1, tzinfo=UTC))) == content_hash(CAMEL)
    assert content_hash(replace(CAMEL, dimensions="58.5 × 41 cm")) != content_hash(CAMEL)
