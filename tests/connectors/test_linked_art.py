"""Linked Art HumanMadeObject -> CatalogueRecord mapping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.linked_art import (
    LinkedArtError,
    historical_year,
    language_map_texts,
    record_from_human_made_object,
)
from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText

UPDATED = datetime(2024, 5, 1, tzinfo=UTC)


def name(content: str, *languages: str, primary: bool = True) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "Name", "content": content}
    if primary:
        node["classified_as"] = [{"id": "http://vocab.getty.edu/aat/300404670"}]
    if languages:
        node["language"] = [{"id": uri, "type": "Language"} for uri in languages]
    return node


def mapped(**properties: Any) -> CatalogueRecord:
    document = {"type": "HumanMadeObject", "identified_by": [name("Object")], **properties}
    return record_from_human_made_object(document, source_id="TWMM-1", updated_at=UPDATED)


def test_language_uris_in_every_spelling_become_bcp47_tags() -> None:
    record = mapped(
        identified_by=[
            name("开元通宝", "http://vocab.getty.edu/aat/300388113"),
            name("Kaiyuan coin", "https://vocab.getty.edu/aat/300388277"),
            name("Pièce Kaiyuan", "aat:300388306"),
            name("درهم", "http://vocab.getty.edu/page/aat/300387843"),
        ]
    )
    assert [title.lang for title in record.titles] == ["zh", "en", "fr", "ar"]


def test_name_without_or_with_unknown_language_is_undetermined() -> None:
    record = mapped(identified_by=[name("ΒΑΣΙΛΕΩΣ"), name("Münze", "http://example.org/lang/xx")])
    assert record.titles == (LocalizedText("und", "ΒΑΣΙΛΕΩΣ"), LocalizedText("und", "Münze"))


def test_primary_names_come_before_alternate_names_and_the_accession_number_is_kept() -> None:
    record = mapped(
        identified_by=[
            name("Horse figure", "aat:300388277", primary=False),
            {"type": "Identifier", "content": "TWMM-2009-0002", "classified_as": [{"id": "aat:300312355"}]},
            name("三彩马", "aat:300388113"),
        ]
    )
    assert [title.value for title in record.titles] == ["三彩马", "Horse figure"]
    assert record.extra["accession_number"] == "TWMM-2009-0002"


def test_object_without_names_is_titled_by_its_label() -> None:
    document = {"type": "HumanMadeObject", "_label": "Bronze mirror"}
    record = record_from_human_made_object(document, source_id="M1", updated_at=UPDATED)
    assert record.titles == (LocalizedText("und", "Bronze mirror"),)


def test_iiif_language_map_none_key_is_undetermined() -> None:
    texts = language_map_texts({"zh": ["开元通宝"], "none": ["ÞAONANOÞAO"], "en": "Kaiyuan coin"})
    assert texts == (
        LocalizedText("zh", "开元通宝"),
        LocalizedText("und", "ÞAONANOÞAO"),
        LocalizedText("en", "Kaiyuan coin"),
    )


@pytest.mark.parametrize(
    ("iso", "year"),
    [("0735-01-01T00:00:00Z", 735), ("0001-01-01", 1), ("0000-12-31", -1), ("-1599-01-01T00:00:00Z", -1600)],
)
def test_timespan_years_count_bce_historically(iso: str, year: int) -> None:
    assert historical_year(iso) == year


def test_timespan_period_and_creators_are_mapped() -> None:
    record = mapped(
        produced_by={
            "type": "Production",
            "timespan": {"begin_of_the_begin": "-0120-01-01T00:00:00Z", "end_of_the_end": "-0090-12-31T23:59:59Z"},
            "during": [{"type": "Period", "_label": "Parthian"}],
            "carried_out_by": [{"type": "Group", "_label": "Parthian royal mint"}],
            "part": [{"carried_out_by": [{"type": "Person", "_label": "Die cutter"}]}],
            "took_place_at": [{"type": "Place", "identified_by": [{"type": "Identifier", "content": "IR"}]}],
        }
    )
    assert (record.earliest_year, record.latest_year, record.period) == (-121, -91, "Parthian")
    assert record.creators == ("Parthian royal mint", "Die cutter")
    assert record.origin_country == "IR"


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ({"id": "https://vocab.getty.edu/aat/300037222", "_label": "coins (money)"}, ItemKind.COIN),
        ({"id": "http://museum.example/type/figurines", "_label": "figurines"}, ItemKind.CERAMIC),
        ({"id": "http://museum.example/type/mirrors", "_label": "bronze mirrors"}, ItemKind.METALWORK),
        ({"id": "aat:300047090", "_label": "sculpture (visual works)"}, ItemKind.SCULPTURE),
        ({"id": "http://museum.example/type/epitaphs", "_label": "epitaphs (tomb tablets)"}, ItemKind.EPITAPH),
        ({"id": "aat:300014063"}, ItemKind.TEXTILE),
        ({"id": "http://museum.example/type/jades", "_label": "jades (carvings)"}, ItemKind.JADE),
        ({"id": "http://vocab.getty.edu/aat/300033618"}, ItemKind.PAINTING),
        ({"id": "http://museum.example/type/glassware", "_label": "glassware"}, ItemKind.OTHER),
    ],
)
def test_kind_comes_from_the_type_term(term: dict[str, Any], kind: ItemKind) -> None:
    works_of_art = {"id": "aat:300133025", "_label": "works of art"}
    assert mapped(classified_as=[works_of_art, term]).kind is kind


def test_type_of_work_term_wins_over_other_classifications() -> None:
    type_of_work = [{"id": "aat:300435443"}]
    terms = [{"_label": "silk road trade goods"}, {"_label": "coins (money)", "classified_as": type_of_work}]
    assert mapped(classified_as=terms).kind is ItemKind.COIN


def test_structured_dimensions_are_written_out_and_a_statement_is_the_fallback() -> None:
    dimensions = [
        {"value": 2.5, "unit": {"id": "aat:300379098"}, "classified_as": [{"id": "aat:300055624"}]},
        {"value": 4.0, "unit": {"id": "aat:300379225"}, "classified_as": [{"id": "aat:300056240"}]},
    ]
    assert mapped(dimension=dimensions).dimensions == "D 2.5 cm, 4 g"
    statement = {"type": "LinguisticObject", "content": "58 x 57 cm", "classified_as": [{"id": "aat:300435430"}]}
    description = {"type": "LinguisticObject", "content": "Square epitaph.", "language": [{"id": "aat:300388277"}]}
    record = mapped(referred_to_by=[statement, description])
    assert record.dimensions == "58 x 57 cm"
    assert record.descriptions == (LocalizedText("en", "Square epitaph."),)


def test_only_iiif_presentation_objects_become_image_manifests() -> None:
    manifest = "https://museum.example/iiif/1/manifest"
    subject_of = [
        {
            "type": "LinguisticObject",
            "_label": "IIIF manifest",
            "digitally_carried_by": [
                {
                    "type": "DigitalObject",
                    "access_point": [{"id": manifest}],
                    "conforms_to": [{"id": "http://iiif.io/api/presentation/"}],
                },
                {"type": "DigitalObject", "access_point": [{"id": "https://museum.example/page/1.html"}]},
            ],
        }
    ]
    assert mapped(subject_of=subject_of).images == (ImageRef(manifest_url=manifest, label="IIIF manifest"),)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"type": "Person", "_label": "An Lushan"}, "expected a HumanMadeObject, got type 'Person'"),
        (["HumanMadeObject"], "expected a JSON object, got list"),
    ],
)
def test_document_that_is_not_a_human_made_object_is_rejected(document: Any, problem: str) -> None:
    with pytest.raises(LinkedArtError, match=problem):
        record_from_human_made_object(document, source_id="X", updated_at=UPDATED)
