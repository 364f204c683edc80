from __future__ import annotations

import pytest

from connectors.limits import MIB, ConnectorLimits


def test_default_limits_are_those_documented() -> None:
    limits = ConnectorLimits()
    assert (limits.max_response_bytes, limits.max_records_per_page, limits.max_token_length) == (32 * MIB, 10_000, 4096)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"max_response_bytes": 0}, "max_response_bytes must be a positive number, got 0"),
        ({"max_seconds": -1.0}, "max_seconds must be a positive number, got -1.0"),
        ({"max_pages": True}, "max_pages must be a positive number, got True"),
        ({"max_id_length": 256}, "max_id_length must be at most 255"),
    ],
)
def test_limit_out_of_range_is_refused_naming_it(changes: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        ConnectorLimits(**changes)  # type: ignore[arg-type]
