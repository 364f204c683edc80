from __future__ import annotations

import pytest

from hub.catalogue.vocabulary import ItemKind, is_library_item


@pytest.mark.parametrize("kind", ["BOOK", "RARE_BOOK", "MANUSCRIPT", "RUBBING", "MAP", ItemKind.BOOK])
def test_library_kinds_are_library_items(kind: ItemKind | str) -> None:
    assert is_library_item(kind)


@pytest.mark.parametrize("kind", ["COIN", "CERAMIC", "EPITAPH", "OTHER", ItemKind.PAINTING])
def test_other_kinds_are_museum_objects(kind: ItemKind | str) -> None:
    assert not is_library_item(kind)
