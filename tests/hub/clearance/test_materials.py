from __future__ import annotations

import pytest

from hub.clearance import RuleTable


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("hippopotamus ivory", {"hippopotamus_ivory"}),
        ("Elephant Ivory", {"elephant_ivory"}),
        ("gilt silver with ivory inlay", {"silver", "elephant_ivory"}),
        ("犀角杯", {"rhinoceros_horn"}),
        ("玳瑁", {"hawksbill_tortoiseshell"}),
        ("硨磲", {"giant_clam"}),
        ("ink and colour on silk", set()),
        ("watercolour and gouache", {"watercolour"}),
    ],
)
def test_material_text_maps_to_the_vocabulary(table: RuleTable, text: str, ids: set[str]) -> None:
    assert table.materials.normalise(text) == frozenset(ids)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_material_without_text_is_unknown(table: RuleTable, text: str | None) -> None:
    assert table.materials.normalise(text) is None
