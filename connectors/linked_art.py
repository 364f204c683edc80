"""Linked Art `HumanMadeObject` JSON-LD documents -> `CatalogueRecord`.

Vocabulary terms are recognised by their Getty AAT number whichever way the URI is written
(`http://vocab.getty.edu/aat/N`, `https://...`, `aat:N`), and type terms also by their label,
since museums often classify with their own thesaurus. Timespans use ISO 8601 astronomical
years (0000 is 1 BCE); records count years historically (-1 is 1 BCE).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from connectors.bounds import RecordProblem
from connectors.clip import clip
from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, RelicGrade

UNDETERMINED = "und"

AAT_LANGUAGES = {
    "300388277": "en",
    "300388113": "zh",
    "300388306": "fr",
    "300387843": "ar",
    "300389168": "ru",
    "300388344": "de",
    "300389311": "es",
    "300388486": "ja",
}
PRIMARY_NAME = "300404670"
ACCESSION_NUMBER = "300312355"
WORKS_OF_ART = "300133025"
TYPE_OF_WORK = "300435443"
DIMENSION_STATEMENT = "300435430"
NOT_DESCRIPTIONS = frozenset({DIMENSION_STATEMENT, "300444174", "300026687", "300435414"})
"""Statements in `referred_to_by` that are not descriptions: dimensions, provenance, credit line, inscription."""

DIMENSION_ABBREVIATIONS = {
    "300055644": "H",
    "300055647": "W",
    "300055645": "L",
    "300072633": "Dp",
    "300055624": "D",
    "300055646": "Th",
    "300056240": "",
}
DIMENSION_LABELS = {"height": "H", "width": "W", "length": "L", "depth": "Dp", "diameter": "D"}
UNIT_SYMBOLS = {"300379098": "cm", "300379097": "mm", "300379100": "m", "300379225": "g", "300379226": "kg"}
UNIT_LABELS = {"centimeters": "cm", "centimetres": "cm", "millimeters": "mm", "grams": "g", "kilograms": "kg"}

KIND_BY_AAT = {
    "300037222": ItemKind.COIN,
    "300047090": ItemKind.SCULPTURE,
    "300014063": ItemKind.TEXTILE,
    "300033618": ItemKind.PAINTING,
}
KIND_BY_LABEL_WORD: tuple[tuple[ItemKind, tuple[str, ...]], ...] = (
    (ItemKind.COIN, ("coin", "drachm", "solidus", "dinar")),
    (ItemKind.EPITAPH, ("epitaph",)),
    (ItemKind.JADE, ("jade",)),
    (ItemKind.TEXTILE, ("textile", "silk", "brocade", "embroider")),
    (ItemKind.PAINTING, ("painting", "scroll")),
    (ItemKind.CERAMIC, ("ceramic", "figurine", "pottery", "porcelain", "earthenware", "stoneware", "sancai")),
    (ItemKind.SCULPTURE, ("sculpture", "statue")),
    (ItemKind.METALWORK, ("metalwork", "bronzes", "silverwork", "goldwork", "mirror")),
)
GRADE_LABEL = re.compile(r"\bgrade\s*([123])\b", re.IGNORECASE)
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
AAT_URI = re.compile(r"^(?:aat:|https?://vocab\.getty\.edu/(?:page/)?aat/)(\d+)$")
ISO_YEAR = re.compile(r"^([+-]?)(\d{4,})(?:-|$)")
IIIF_PRESENTATION = "iiif.io/api/presentation"


class LinkedArtError(RecordProblem):
    """The document is not a usable Linked Art HumanMadeObject."""


def aat_number(uri: object) -> str | None:
    """The AAT concept number of `uri` in any of its spellings, else None."""
    if not isinstance(uri, str):
        return None
    match = AAT_URI.match(uri.strip())
    return match.group(1) if match else None


def language_tag(languages: object) -> str:
    """BCP 47 tag for a Linked Art `language` list; "und" when absent or not a known AAT language."""
    for language in nodes(languages):
        tag = AAT_LANGUAGES.get(aat_number(language.get("id")) or "")
        if tag:
            return tag
    return UNDETERMINED


def language_map_texts(value: object) -> tuple[LocalizedText, ...]:
    """Texts of a IIIF Presentation 3 language map; its `none` key becomes "und"."""
    if not isinstance(value, Mapping):
        return ()
    texts = []
    for lang, strings in value.items():
        tag = UNDETERMINED if lang == "none" else str(lang)
        for text in strings if isinstance(strings, list) else [strings]:
            if isinstance(text, str) and text.strip():
                texts.append(LocalizedText(tag, text.strip()))
    return tuple(texts)


def historical_year(iso_datetime: object) -> int | None:
    """The year of an ISO 8601 (astronomical) date, counted historically: 0000 -> -1 (1 BCE)."""
    if not isinstance(iso_datetime, str):
        return None
    match = ISO_YEAR.match(iso_datetime.strip())
    if match is None:
        return None
    year = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    return year - 1 if year <= 0 else year


def nodes(value: object) -> Iterator[Mapping[str, Any]]:
    """The JSON objects in a property that may hold one object or a list of them."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping):
            yield item


def classification_numbers(node: Mapping[str, Any]) -> set[str]:
    return {number for term in nodes(node.get("classified_as")) if (number := aat_number(term.get("id")))}


def text_of(node: Mapping[str, Any]) -> str | None:
    for key in ("content", "_label"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def record_from_human_made_object(document: object, *, source_id: str, updated_at: datetime) -> CatalogueRecord:
    """Map one Linked Art HumanMadeObject; raises LinkedArtError when it is something else."""
    if not isinstance(document, Mapping):
        raise LinkedArtError(f"expected a JSON object, got {type(document).__name__}")
    if document.get("type") != "HumanMadeObject":
        raise LinkedArtError(f"expected a HumanMadeObject, got type {clip(repr(document.get('type')), 80)}")
    titles, accession_number = _names_and_accession_number(document)
    if not titles:
        fallback = text_of(document) or accession_number or source_id
        titles = (LocalizedText(UNDETERMINED, fallback),)
    descriptions, dimension_statement = _statements(document)
    production = next(nodes(document.get("produced_by")), {})
    timespan = next(nodes(production.get("timespan")), {})
    earliest = historical_year(timespan.get("begin_of_the_begin") or timespan.get("end_of_the_begin"))
    latest = historical_year(timespan.get("end_of_the_end") or timespan.get("begin_of_the_end"))
    extra: dict[str, Any] = {"linked_art_id": document.get("id")}
    if accession_number:
        extra["accession_number"] = accession_number
    return CatalogueRecord(
        source_id=source_id,
        kind=item_kind(document),
        titles=titles,
        updated_at=updated_at,
        descriptions=descriptions,
        creators=_creators(production),
        period=_period(production, timespan),
        earliest_year=earliest,
        latest_year=latest,
        origin_country=_origin_country(production) or "CN",
        material=", ".join(filter(None, (text_of(m) for m in nodes(document.get("made_of"))))) or None,
        dimensions=_dimensions(document) or dimension_statement,
        relic_grade=_relic_grade(document),
        images=_manifests(document),
        extra=extra,
    )


def item_kind(document: Mapping[str, Any]) -> ItemKind:
    """Kind from the object's type terms: those marked "type of work" first, then the others."""
    terms = [t for t in nodes(document.get("classified_as")) if aat_number(t.get("id")) != WORKS_OF_ART]
    terms.sort(key=lambda term: TYPE_OF_WORK not in classification_numbers(term))
    for term in terms:
        kind = KIND_BY_AAT.get(aat_number(term.get("id")) or "")
        if kind:
            return kind
        label = (text_of(term) or "").lower()
        for candidate, words in KIND_BY_LABEL_WORD:
            if any(word in label for word in words):
                return candidate
    return ItemKind.OTHER


def _names_and_accession_number(
    document: Mapping[str, Any],
) -> tuple[tuple[LocalizedText, ...], str | None]:
    primary: list[LocalizedText] = []
    other: list[LocalizedText] = []
    accession_number = None
    for node in nodes(document.get("identified_by")):
        content = node.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        numbers = classification_numbers(node)
        if node.get("type") == "Name":
            text = LocalizedText(language_tag(node.get("language")), content.strip())
            (primary if PRIMARY_NAME in numbers else other).append(text)
        elif node.get("type") == "Identifier" and (ACCESSION_NUMBER in numbers or accession_number is None):
            accession_number = content.strip()
    return tuple(dict.fromkeys(primary + other)), accession_number


def _statements(document: Mapping[str, Any]) -> tuple[tuple[LocalizedText, ...], str | None]:
    descriptions = []
    dimension_statement = None
    for node in nodes(document.get("referred_to_by")):
        content = node.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        numbers = classification_numbers(node)
        if DIMENSION_STATEMENT in numbers:
            dimension_statement = dimension_statement or content.strip()
        elif not numbers & NOT_DESCRIPTIONS:
            descriptions.append(LocalizedText(language_tag(node.get("language")), content.strip()))
    return tuple(descriptions), dimension_statement


def _creators(production: Mapping[str, Any]) -> tuple[str, ...]:
    activities = [production, *nodes(production.get("part"))]
    names = [text_of(actor) for activity in activities for actor in nodes(activity.get("carried_out_by"))]
    return tuple(dict.fromkeys(name for name in names if name))


def _period(production: Mapping[str, Any], timespan: Mapping[str, Any]) -> str | None:
    for period in nodes(production.get("during")):
        if label := text_of(period):
            return label
    for name in nodes(timespan.get("identified_by")):
        if label := text_of(name):
            return label
    return None


def _origin_country(production: Mapping[str, Any]) -> str | None:
    for place in nodes(production.get("took_place_at")):
        for identifier in nodes(place.get("identified_by")):
            code = identifier.get("content")
            if identifier.get("type") == "Identifier" and isinstance(code, str) and COUNTRY_CODE.match(code):
                return code
    return None


def _dimensions(document: Mapping[str, Any]) -> str | None:
    parts = []
    for dimension in nodes(document.get("dimension")):
        value = dimension.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        unit = next(nodes(dimension.get("unit")), {})
        symbol = UNIT_SYMBOLS.get(aat_number(unit.get("id")) or "") or UNIT_LABELS.get(
            (text_of(unit) or "").lower(), text_of(unit) or ""
        )
        abbreviation = _dimension_abbreviation(dimension)
        parts.append(" ".join(filter(None, (abbreviation, f"{value:g}", symbol))))
    return ", ".join(parts) or None


def _dimension_abbreviation(dimension: Mapping[str, Any]) -> str:
    for term in nodes(dimension.get("classified_as")):
        abbreviation = DIMENSION_ABBREVIATIONS.get(aat_number(term.get("id")) or "")
        if abbreviation is None:
            abbreviation = DIMENSION_LABELS.get((text_of(term) or "").lower())
        if abbreviation is not None:
            return abbreviation
    return ""


def _relic_grade(document: Mapping[str, Any]) -> RelicGrade | None:
    for term in nodes(document.get("classified_as")):
        label = (text_of(term) or "").lower()
        if match := GRADE_LABEL.search(label):
            return RelicGrade(match.group(1))
        if "general relic" in label:
            return RelicGrade.GENERAL
        if "ungraded" in label:
            return RelicGrade.UNGRADED
    return None


def _manifests(document: Mapping[str, Any]) -> tuple[ImageRef, ...]:
    """IIIF manifests: subject_of -> LinguisticObject -> digitally_carried_by -> DigitalObject."""
    images = []
    for text in nodes(document.get("subject_of")):
        for digital in nodes(text.get("digitally_carried_by")):
            if not _is_iiif_presentation(digital):
                continue
            label = text_of(digital) or text_of(text)
            for access_point in nodes(digital.get("access_point")):
                url = access_point.get("id")
                if isinstance(url, str) and url:
                    images.append(ImageRef(manifest_url=url, label=label))
    return tuple(dict.fromkeys(images))


def _is_iiif_presentation(digital: Mapping[str, Any]) -> bool:
    standards = [node.get("id") for node in nodes(digital.get("conforms_to"))]
    formats = digital.get("format")
    candidates = [*standards, *(formats if isinstance(formats, list) else [formats])]
    return any(isinstance(c, str) and IIIF_PRESENTATION in c for c in candidates)
