"""Expected refusals, reported to the caller rather than raised as faults.

A service refuses a state change by raising `Refused` with every `UserError` it found; nothing was written.
Each error has a code from its domain's enum (`CommonErrorCode` for what every domain refuses alike; a domain
adds its own enum, such as `hub.harvest.errors.HarvestErrorCode`), the path of the bad input field in the
domain's own snake_case names (`items[2].titles[0].lang`, `source_ids[1]`) and a message naming the bad value.
A read argument the hub cannot use raises `InvalidArgumentError`. The GraphQL layer maps both to its names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from hub.core.translations import Message


class CommonErrorCode(enum.Enum):
    """Codes every domain uses; clients may branch on them: add new ones, never rename."""

    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_VALUE = "INVALID_VALUE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"


@dataclass(frozen=True)
class UserError:
    code: enum.Enum
    """A member of `CommonErrorCode` or of a domain's own error-code enum."""
    field: str | None
    """The path of the input field at fault, in snake_case (`items[2].source_id`); None for the request as a whole."""
    message: str | Message
    """English text, or a `Message` the GraphQL layer renders in the caller's language."""


def invalid_value(field: str, message: str) -> UserError:
    return UserError(CommonErrorCode.INVALID_VALUE, field, message)


class Refused(Exception):
    """A service refused the request as a whole, for every reason in `errors`; nothing was written."""

    def __init__(self, *errors: UserError) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error.message) for error in errors))


class InvalidArgumentError(ValueError):
    """A read argument the hub cannot use (a page size, a cursor, a filter); the message names the bad value."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
