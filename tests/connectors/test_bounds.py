"""A normalised record is fitted to the stored widths: long texts cut with a marker, the rest refused."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.bounds import RecordProblem, fit_record
from connectors.limits import ConnectorLimits
from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, Tombstone

LIMITS = ConnectorLimits()
STAMP = datetime(2025, 4, 1, tzinfo=UTC)


def record(**fields: Any) -> CatalogueRecord:
    values: dict[str, Any] = {
        "source_id": "R-1",
        "kind": ItemKind.COIN,
        "titles": (LocalizedText("zh", "开元通宝"), LocalizedText("en", "Kaiyuan tongbao")),
        "updated_at": STAMP,
    }
    values.update(fields)
    return CatalogueRecord(**values)


def test_record_within_bounds_is_returned_as_it_is() -> None:
    coin = record(period="Tang", images=(ImageRef(manifest_url="https://iiif.test/m"),), extra={"category": "coin"})
    assert fit_record(coin, LIMITS) is coin


def test_long_texts_are_cut_with_a_marker() -> None:
    fitted = fit_record(
        record(
            titles=(LocalizedText("en", "T" * 5_000),),
            descriptions=(LocalizedText("en", "D" * 50_000),),
            creators=("C" * 900,),
            period="P" * 200,
            material="M" * 300,
            dimensions="H" * 300,
            images=(ImageRef(image_url="https://iiif.test/i", label="L" * 900),),
            extra={"publisher": "X" * 5_000, "languages": ["zh"] * 500},
        ),
        LIMITS,
    )
    assert isinstance(fitted, CatalogueRecord)
    assert fitted.titles[0].value == "T" * 1_999 + "…"
    assert len(fitted.descriptions[0].value) == 20_000 and fitted.descriptions[0].value.endswith("…")
    assert [len(fitted.creators[0]), len(fitted.period or ""), len(fitted.material or "")] == [500, 128, 255]
    assert len(fitted.dimensions or "") == 255 and len(fitted.images[0].label or "") == 512
    assert len(fitted.extra["publisher"]) == 2_000 and len(fitted.extra["languages"]) == 100


def test_title_limit_is_the_callers() -> None:
    fitted = fit_record(record(titles=(LocalizedText("en", "T" * 100),)), ConnectorLimits(max_title_length=10))
    assert isinstance(fitted, CatalogueRecord) and fitted.titles[0].value == "TTTTTTTTT…"


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"source_id": "x" * 256}, "identifier 'xxxxx"),
        ({"source_id": "  "}, "empty identifier"),
        ({"images": (ImageRef(manifest_url="https://iiif.test/" + "m" * 2_000),)}, "image URL"),
        ({"titles": (LocalizedText("x" * 40, "Coin"),)}, "language tag"),
        ({"origin_country": "China"}, "origin country 'China'"),
        ({"earliest_year": -(10**9)}, "earliest_year -1000000000 is beyond"),
        ({"creators": tuple(f"C{n}" for n in range(101))}, "101 creators, more than 100"),
        ({"images": (ImageRef(image_url="https://iiif.test/i"),) * 501}, "501 images"),
    ],
)
def test_value_a_cut_would_falsify_is_refused_naming_it(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(RecordProblem, match=problem):
        fit_record(record(**fields), LIMITS)


def test_tombstone_with_an_overlong_identifier_is_refused() -> None:
    assert fit_record(Tombstone("R-1", STAMP), LIMITS) == Tombstone("R-1", STAMP)
    with pytest.raises(RecordProblem, match="longer than the limit of 40"):
        fit_record(Tombstone("R" * 41, STAMP), ConnectorLimits(max_id_length=40))
