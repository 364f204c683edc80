"""The bounds a harvest run keeps, whatever a partner sends. The caller (the hub's settings) chooses them."""

from __future__ import annotations

from dataclasses import dataclass, fields

KIB = 1024
MIB = 1024 * KIB
MAX_STORED_ID_LENGTH = 255
"""Partner identifiers are stored in columns of this width."""


@dataclass(frozen=True)
class ConnectorLimits:
    """Per response, per page and per harvest run.

    `max_response_bytes` counts decoded bytes (after gzip/deflate). `max_token_length` bounds resumption
    tokens, page tokens and next-page URLs; `max_id_length` the partner's record identifiers. Documents
    of at least `parse_off_loop_bytes` are parsed in a worker thread.
    """

    max_response_bytes: int = 32 * MIB
    max_pages: int = 100_000
    max_seconds: float = 3600.0
    max_records_per_page: int = 10_000
    max_token_length: int = 4 * KIB
    max_id_length: int = MAX_STORED_ID_LENGTH
    max_title_length: int = 2_000
    max_description_length: int = 20_000
    parse_off_loop_bytes: int = 256 * KIB

    def __post_init__(self) -> None:
        for limit in fields(self):
            value = getattr(self, limit.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ValueError(f"ConnectorLimits.{limit.name} must be a positive number, got {value!r}")
        if self.max_id_length > MAX_STORED_ID_LENGTH:
            raise ValueError(
                f"ConnectorLimits.max_id_length must be at most {MAX_STORED_ID_LENGTH} (the stored width), "
                f"got {self.max_id_length}"
            )
