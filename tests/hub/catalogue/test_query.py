from __future__ import annotations

import pytest

from hub.catalogue.query import CatalogueFilter
from hub.core.user_errors import InvalidArgumentError


@pytest.mark.parametrize(
    ("flt", "field", "message"),
    [
        (CatalogueFilter(query="w " * 17), "query", "query has 17 terms, more than the 16 allowed"),
        (CatalogueFilter(query="a " * 999), "query", "query has 1998 characters"),
        (CatalogueFilter(query="x" * 201), "query", "query has 201 characters, more than the 200 allowed"),
        (CatalogueFilter(period="T" * 101), "period", "period has 101 characters, more than the 100 allowed"),
        (CatalogueFilter(institutions=["NLC"] * 51), "institutions", "institutions lists 51 codes"),
    ],
)
def test_catalogue_filter_refuses_unbounded_search_input_naming_the_bound(
    flt: CatalogueFilter, field: str, message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message) as raised:
        flt.validate()
    assert raised.value.field == field


def test_catalogue_filter_allows_search_input_at_the_bounds() -> None:
    CatalogueFilter(query=" ".join(["w"] * 16), period="T" * 100, institutions=["NLC"] * 50).validate()
    CatalogueFilter(query="x" * 200).validate()
