"""The trading domain's refusals: stable codes, and messages naming the bad value (English, translated by the
`trading` gettext catalog)."""

from __future__ import annotations

import enum

from hub.core.translations import Message
from hub.core.user_errors import Refused, UserError
from hub.money.errors import MoneyError

DOMAIN = "trading"


def N_(text: str) -> str:
    return text


NOT_AN_ID = N_("{value} is not the id of a {kind}: pass an id the hub returned.")
"""The graph's refusal of an id of another type or none at all (schema/trading/ids.py)."""


class TradingErrorCode(enum.Enum):
    """Codes clients may branch on; add new ones, never rename. FORBIDDEN, NOT_FOUND, INVALID_VALUE and
    IDEMPOTENCY_KEY_REUSED come from `CommonErrorCode`; money's refusals keep their money code's name."""

    NOT_OWN_ITEM = "NOT_OWN_ITEM"
    ITEM_ALREADY_LISTED = "ITEM_ALREADY_LISTED"
    ITEM_IN_TRANSFER = "ITEM_IN_TRANSFER"
    NOT_OWN_LISTING = "NOT_OWN_LISTING"
    LISTING_NOT_OPEN = "LISTING_NOT_OPEN"
    OWN_LISTING = "OWN_LISTING"
    NOT_OWN_OFFER = "NOT_OWN_OFFER"
    OFFER_NOT_OPEN = "OFFER_NOT_OPEN"
    OFFER_EXPIRED = "OFFER_EXPIRED"
    TOO_MANY_OFFERS = "TOO_MANY_OFFERS"
    INVALID_EXPIRY = "INVALID_EXPIRY"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_LOAN_TERMS = "INVALID_LOAN_TERMS"
    NOT_A_PARTY = "NOT_A_PARTY"
    TRANSFER_NOT_CANCELLABLE = "TRANSFER_NOT_CANCELLABLE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    # money's refusals, as the money domain names them
    INVALID_AMOUNT = "INVALID_AMOUNT"
    NEGATIVE_AMOUNT = "NEGATIVE_AMOUNT"
    ZERO_AMOUNT = "ZERO_AMOUNT"
    TOO_PRECISE = "TOO_PRECISE"
    AMOUNT_TOO_LARGE = "AMOUNT_TOO_LARGE"
    UNSUPPORTED_CURRENCY = "UNSUPPORTED_CURRENCY"
    NO_FX_RATE = "NO_FX_RATE"


def refusal(code: enum.Enum, field: str | None, text: str, **params: object) -> Refused:
    """A refusal with one error; `text` is an `N_`-marked English template, filled with `params` in the
    caller's language (the `trading` catalog)."""
    return Refused(UserError(code, field, Message(DOMAIN, text, **params)))


def money_refusal(error: MoneyError, prefix: str | None = None) -> Refused:
    """A money domain refusal (a bad amount or currency, no FX rate) under the trading input's field names."""
    try:
        code: enum.Enum = TradingErrorCode(error.code.value)
    except ValueError:
        code = error.code
    field = error.field if not prefix else (f"{prefix}.{error.field}" if error.field else prefix)
    return Refused(UserError(code, field, error.text))
