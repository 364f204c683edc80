"""The catalogue's vocabulary: item kinds and relic grades (defined with the connectors, which yield them),
and which kinds are library items rather than museum objects."""

from __future__ import annotations

from connectors.vocabulary import ItemKind, RelicGrade

__all__ = ["LIBRARY_KINDS", "ItemKind", "RelicGrade", "is_library_item"]

LIBRARY_KINDS = frozenset({ItemKind.BOOK, ItemKind.RARE_BOOK, ItemKind.MANUSCRIPT, ItemKind.RUBBING, ItemKind.MAP})


def is_library_item(kind: ItemKind | str) -> bool:
    """Whether an item of `kind` is a library item (a book, a map, ...); otherwise it is a museum object."""
    return ItemKind(kind) in LIBRARY_KINDS
