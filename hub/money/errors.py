"""The money domain's refusals: a stable code, the input field (snake_case path) and a message naming the value.

Messages a client may meet are `Message`s of the `money` catalog (rendered in the caller's language by the
GraphQL layer); `MoneyError.message` is always the English text, `MoneyError.text` what to render.
"""

from __future__ import annotations

import enum

from hub.core.translations import Message

DOMAIN = "money"

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

    def __init__(self, code: MoneyErrorCode, field: str | None, message: str | Message) -> None:
        self.code = code
        self.field = field
        self.text = message
        """What the caller reads: a Message to render in its language, or a plain (English) text."""
        self.message = str(message)
        super().__init__(self.message)


def shown(value: object) -> str:
    """`value` as quoted in a message, cut short so a huge input does not make a huge message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def money_text(msgid: str, **params: object) -> Message:
    """A text of the `money` catalog (`msgid` marked with `N_` where it is defined)."""
    return Message(DOMAIN, msgid, **params)


def field_path(prefix: str | None, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
