from __future__ import annotations

import pytest

from hub.app import Hub
from hub.catalogue.page_rows import PageReader, RowSelection
from hub.catalogue.query import CURSORS, CatalogueFilter, PageSelection, read_page
from hub.catalogue.vocabulary import ItemKind
from hub.core.user_errors import InvalidArgumentError

FILTERS = [
    CatalogueFilter(),
    CatalogueFilter(query="三彩"),
    CatalogueFilter(query="camel GROOM"),
    CatalogueFilter(query="%"),
    CatalogueFilter(institutions=["twmm", "CRECC"], kinds=[ItemKind.METALWORK]),
    CatalogueFilter(institutions=[]),
    CatalogueFilter(kinds=[]),
    CatalogueFilter(period="唐"),
    CatalogueFilter(period="Unknown age"),
    CatalogueFilter(year_from=700, year_to=760),
]


def reader(hub: Hub) -> PageReader:
    assert hub.pages is not None
    return hub.pages


@pytest.mark.parametrize("flt", FILTERS)
async def test_page_rows_hold_the_items_the_standard_page_holds(catalogue: Hub, flt: CatalogueFilter) -> None:
    everything = RowSelection(total_count=True, institutions=True, images=True)
    for first, after in ((2, None), (20, None), (2, CURSORS.encode(2)), (0, None)):
        standard = await read_page(catalogue.sessions, flt, first, after, PageSelection(True, True, True))
        rows = await reader(catalogue).read_page(flt, first, after, everything)
        assert [item.id for item in rows.items] == [item.id for item in standard.items]
        assert [item.source_id for item in rows.items] == [item.source_id for item in standard.items]
        assert [item.titles for item in rows.items] == [item.titles for item in standard.items]
        assert [item.updated_at for item in rows.items] == [item.source_updated_at for item in standard.items]
        assert (rows.has_next_page, rows.total_count) == (standard.has_next_page, standard.total_count)
        assert standard.images is None or all(
            [image.manifest_url for image in item.images] == [i.manifest_url for i in standard.images[item.id]]
            for item in rows.items
        )
        assert standard.institutions is None or all(
            item.institution is not None and item.institution.code == standard.institutions[item.institution_id].code
            for item in rows.items
        )


async def test_page_rows_compile_one_statement_per_filter_shape(catalogue: Hub) -> None:
    pages = reader(catalogue)
    selection = RowSelection(total_count=True)
    await pages.read_page(CatalogueFilter(query="horse"), 5, None, selection)
    await pages.read_page(CatalogueFilter(query="camel"), 5, None, selection)
    assert pages.compiled_statements == 1
    camel = await pages.read_page(CatalogueFilter(query="camel"), 5, None, selection)
    assert [item.source_id for item in camel.items] == ["CR-0001"]
    await pages.read_page(CatalogueFilter(query="camel groom"), 5, None, selection)
    assert pages.compiled_statements == 2


@pytest.mark.parametrize(
    ("flt", "first", "after", "field"),
    [
        (CatalogueFilter(), 101, None, "first"),
        (CatalogueFilter(), -1, None, "first"),
        (CatalogueFilter(), 5, "not-a-cursor", "after"),
        (CatalogueFilter(year_from=900, year_to=800), 5, None, "year_from"),
    ],
)
async def test_page_rows_refuse_what_the_standard_page_refuses(
    catalogue: Hub, flt: CatalogueFilter, first: int, after: str | None, field: str
) -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        await reader(catalogue).read_page(flt, first, after, RowSelection())
    assert refused.value.field == field
