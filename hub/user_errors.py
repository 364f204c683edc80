"""Expected refusals of a state change, reported in a mutation payload's `errors` rather than raised."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UserErrorCode(enum.Enum):
    """Stable codes clients may branch on; add new ones, never rename."""

    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_VALUE = "INVALID_VALUE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    NOT_HARVESTED = "NOT_HARVESTED"
    SYNC_FAILED = "SYNC_FAILED"


@dataclass(frozen=True)
class UserError:
    code: UserErrorCode
    field: str | None
    message: str
