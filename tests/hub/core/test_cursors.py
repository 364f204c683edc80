from __future__ import annotations

import pytest

from hub.core.cursors import CursorKind
from hub.core.user_errors import InvalidArgumentError

ITEMS = CursorKind("item", "pass an endCursor from a page")


def test_cursor_round_trips_its_key() -> None:
    assert ITEMS.decode(ITEMS.encode(42)) == 42


@pytest.mark.parametrize("cursor", [CursorKind("audit", "").encode(42), "not base64!", ""])
def test_cursor_of_another_kind_or_garbage_is_refused_naming_it(cursor: str) -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        ITEMS.decode(cursor)
    assert refused.value.field == "after"
    assert str(refused.value) == f"unknown cursor {cursor!r}: pass an endCursor from a page"
