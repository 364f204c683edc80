"""Global object identifiers (Relay): opaque base64 of "Type:key"."""

from __future__ import annotations

import base64
import binascii

from schema.core.errors import bad_argument


def to_global_id(type_name: str, key: str | int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode()


def from_global_id(global_id: str, field: str = "id") -> tuple[str, str]:
    try:
        type_name, _, key = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_argument(field, f"malformed id {global_id!r}: pass an id the hub returned") from None
    if not type_name or not key:
        raise bad_argument(field, f"malformed id {global_id!r}: pass an id the hub returned")
    return type_name, key


def item_pk(global_id: str, field: str = "id") -> int | None:
    """The database id of a catalogue item's global id; None when the id names another type."""
    type_name, key = from_global_id(global_id, field)
    if type_name != "CatalogueItem":
        return None
    try:
        return int(key)
    except ValueError:
        raise bad_argument(field, f"malformed id {global_id!r}: pass an id the hub returned") from None
