"""The money domain's refusals: a stable code, the input field (snake_case path) and a message naming the value."""

from __future__ import annotations

import enum

MAX_SHOWN = 40


class MoneyErrorCode(enum.Enum):
    """Stable codes clients may branch on; add new ones, never rename."""

    FORBIDDEN = "FORBIDDEN"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    NEGATIVE_AMOUNT = "NEGATIVE_AMOUNT"
    ZERO_AMOUNT = "ZERO_AMOUNT"
    TOO_PRECISE = "TOO_PRECISE"
    AMOUNT_TOO_LARGE = "AMOUNT_TOO_LARGE"
    UNSUPPORTED_CURRENCY = "UNSUPPORTED_CURRENCY"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    INVALID_LOCALE = "INVALID_LOCALE"
    INVALID_RATE = "INVALID_RATE"
    SAME_CURRENCY = "SAME_CURRENCY"
    INVALID_INSTANT = "INVALID_INSTANT"
    INVALID_SOURCE = "INVALID_SOURCE"
    RATE_CONFLICT = "RATE_CONFLICT"
    NO_FX_RATE = "NO_FX_RATE"
    INVALID_LIMIT = "INVALID_LIMIT"
    INVALID_ECB_DOCUMENT = "INVALID_ECB_DOCUMENT"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    UNKNOWN_INSTITUTION = "UNKNOWN_INSTITUTION"
    INVALID_REFERENCE = "INVALID_REFERENCE"
    UNBALANCED_TRANSACTION = "UNBALANCED_TRANSACTION"
    ESCROW_ALREADY_HELD = "ESCROW_ALREADY_HELD"
    ESCROW_NOT_FOUND = "ESCROW_NOT_FOUND"
    ESCROW_ALREADY_SETTLED = "ESCROW_ALREADY_SETTLED"


class MoneyError(ValueError):
    """A value the money domain refuses; `field` is the input path (`price.amount`), None for the whole request."""

    def __init__(self, code: MoneyErrorCode, field: str | None, message: str) -> None:
        self.code = code
        self.field = field
        self.message = message
        super().__init__(message)


def shown(value: object) -> str:
    """`value` as quoted in a message, cut short so a huge input does not make a huge message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def field_path(prefix: str | None, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
