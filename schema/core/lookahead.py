"""Which fields below the current one a query selects, so a resolver can fetch them up front."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from schema.core.context import Info


def _walk(selections: Iterable[Selection], prefix: str, out: set[str]) -> None:
    for selection in selections:
        if isinstance(selection, SelectedField):
            path = f"{prefix}{selection.name}"
            out.add(path)
            _walk(selection.selections, path + ".", out)
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            _walk(selection.selections, prefix, out)


def selected_paths(info: Info) -> set[str]:
    """Dotted paths of every field selected under this one, fragments flattened: {"edges.node.images", ...}."""
    out: set[str] = set()
    for field in info.selected_fields:
        _walk(field.selections, "", out)
    return out
