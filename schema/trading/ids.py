"""Global ids of the trading objects, and their database keys as a mutation input gives them."""

from __future__ import annotations

import base64
import binascii

import strawberry

from hub.core.translations import Message
from hub.core.user_errors import CommonErrorCode, Refused, UserError
from hub.trading.errors import NOT_AN_ID

LISTING = "Listing"
OFFER = "Offer"
TRANSFER = "Transfer"
CATALOGUE_ITEM = "CatalogueItem"
MAX_ID_LENGTH = 100
BAD_ID = NOT_AN_ID


def global_id(type_name: str, key: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode())


def decoded_key(value: str, type_name: str) -> int | None:
    """The key of a global id of `type_name`; None for anything else."""
    if len(value) > MAX_ID_LENGTH:
        return None
    try:
        name, _, key = base64.urlsafe_b64decode(value.encode()).decode().partition(":")
        return int(key) if name == type_name and key.isdigit() else None
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def input_key(value: str, type_name: str, field: str) -> int:
    """The key of the `type_name` a mutation input names; refused (NOT_FOUND on `field`) for another id."""
    key = decoded_key(value, type_name)
    if key is None:
        shown = repr(value if len(value) <= 40 else value[:39] + "…")
        raise Refused(
            UserError(CommonErrorCode.NOT_FOUND, field, Message("trading", BAD_ID, value=shown, kind=type_name))
        )
    return key
