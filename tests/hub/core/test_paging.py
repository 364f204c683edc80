from __future__ import annotations

import pytest

from hub.core.paging import page_size
from hub.core.user_errors import InvalidArgumentError


def test_page_size_defaults_and_accepts_the_bounds() -> None:
    assert page_size(None) == 20
    assert (page_size(0), page_size(100)) == (0, 100)


@pytest.mark.parametrize("first", [-1, 101])
def test_page_size_outside_the_bounds_is_refused_naming_it(first: int) -> None:
    with pytest.raises(InvalidArgumentError) as refused:
        page_size(first)
    assert refused.value.field == "first"
    assert str(refused.value) == f"first must be between 0 and 100, not {first}"
