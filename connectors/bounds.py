"""Bounds on the fields of a normalised record, applied before a connector hands it over.

Texts whose end can go without harm (titles, descriptions, creators, period, material, dimensions,
image labels, strings in `extra`) are cut with a marker. Values a cut would falsify (identifiers,
URLs, language tags, country codes, years) and absurd counts make the record a rejection instead.
Widths follow the catalogue's columns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from connectors.clip import clip, quote_long
from connectors.limits import ConnectorLimits
from connectors.records import CatalogueRecord, ImageRef, LocalizedText, Tombstone

PERIOD_LENGTH = 128
MATERIAL_LENGTH = 255
DIMENSIONS_LENGTH = 255
CREATOR_LENGTH = 500
IMAGE_LABEL_LENGTH = 512
URL_LENGTH = 1024
LANGUAGE_TAG_LENGTH = 35
EXTRA_TEXT_LENGTH = 2_000
EXTRA_ENTRIES = 100
"""Entries kept of a list or object in `extra`."""
TEXTS_PER_RECORD = 100
"""Titles, descriptions or creators one record may have."""
IMAGES_PER_RECORD = 500
YEAR_BOUND = 100_000_000
"""Years beyond plus or minus this are not dates (and would not fit a 32-bit column)."""


class RecordProblem(ValueError):
    """This record cannot be stored as the partner sent it; the message says why."""


def check_source_id(source_id: str, limits: ConnectorLimits) -> str:
    """The partner's identifier, refused when empty or longer than the limit."""
    if not source_id.strip():
        raise RecordProblem("empty identifier")
    if len(source_id) > limits.max_id_length:
        raise RecordProblem(
            f"identifier {quote_long(source_id)} is longer than the limit of {limits.max_id_length} characters"
        )
    return source_id


def fit_record(record: CatalogueRecord | Tombstone, limits: ConnectorLimits) -> CatalogueRecord | Tombstone:
    """`record` within every bound: long texts cut, or RecordProblem when a cut would falsify it."""
    check_source_id(record.source_id, limits)
    if isinstance(record, Tombstone):
        return record
    _check_count("titles", record.titles)
    _check_count("descriptions", record.descriptions)
    _check_count("creators", record.creators)
    if len(record.images) > IMAGES_PER_RECORD:
        raise RecordProblem(f"{len(record.images)} images, more than {IMAGES_PER_RECORD}")
    country = record.origin_country
    if len(country) != 2 or not country.isascii() or not country.isalpha():
        raise RecordProblem(f"origin country {quote_long(country)} is not an ISO 3166-1 alpha-2 code")
    for name in ("earliest_year", "latest_year"):
        year = getattr(record, name)
        if year is not None and abs(year) > YEAR_BOUND:
            raise RecordProblem(f"{name} {year} is beyond plus or minus {YEAR_BOUND:,}")
    fitted = dataclasses.replace(
        record,
        titles=_texts(record.titles, limits.max_title_length),
        descriptions=_texts(record.descriptions, limits.max_description_length),
        creators=tuple(clip(creator, CREATOR_LENGTH) for creator in record.creators),
        period=_optional(record.period, PERIOD_LENGTH),
        material=_optional(record.material, MATERIAL_LENGTH),
        dimensions=_optional(record.dimensions, DIMENSIONS_LENGTH),
        images=tuple(_image(image) for image in record.images),
        extra=_extra(record.extra),
    )
    return record if fitted == record else fitted


def _check_count(name: str, values: Iterable[object]) -> None:
    count = sum(1 for _ in values)
    if count > TEXTS_PER_RECORD:
        raise RecordProblem(f"{count} {name}, more than {TEXTS_PER_RECORD}")


def _texts(texts: tuple[LocalizedText, ...], limit: int) -> tuple[LocalizedText, ...]:
    for text in texts:
        if len(text.lang) > LANGUAGE_TAG_LENGTH:
            raise RecordProblem(f"language tag {quote_long(text.lang)} is longer than {LANGUAGE_TAG_LENGTH}")
    return tuple(LocalizedText(text.lang, clip(text.value, limit)) for text in texts)


def _optional(text: str | None, limit: int) -> str | None:
    return None if text is None else clip(text, limit)


def _image(image: ImageRef) -> ImageRef:
    for url in (image.manifest_url, image.image_url):
        if url is not None and len(url) > URL_LENGTH:
            raise RecordProblem(f"image URL {quote_long(url)} is longer than {URL_LENGTH} characters")
    return ImageRef(image.manifest_url, image.image_url, _optional(image.label, IMAGE_LABEL_LENGTH))


def _extra(value: Any) -> Any:
    if isinstance(value, str):
        return clip(value, EXTRA_TEXT_LENGTH)
    if isinstance(value, list | tuple):
        return [_extra(item) for item in value[:EXTRA_ENTRIES]]
    if isinstance(value, dict):
        kept = list(value.items())[:EXTRA_ENTRIES]
        return {clip(str(key), EXTRA_TEXT_LENGTH): _extra(item) for key, item in kept}
    return value
