"""Bounding partner-supplied strings before anything stores, logs or shows them."""

from __future__ import annotations

MARKER = "…"
"""Ends a string that was cut."""


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in MARKER when it was longer."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(MARKER), 0)] + MARKER


def clip_utf8(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8 (on a character boundary), ending in MARKER when cut."""
    head = text[: limit + 1]  # a character is at least one byte: never encode more than needed
    encoded = head.encode("utf-8", "replace")
    if len(encoded) <= limit and len(head) == len(text):
        return text
    room = max(limit - len(MARKER.encode()), 0)
    return encoded[:room].decode("utf-8", "ignore") + MARKER


def quote_long(value: str, shown: int = 60) -> str:
    """`value` quoted for an error message: whole when short, else its start and its length."""
    if len(value) <= shown:
        return repr(value)
    return f"{value[:shown]!r}{MARKER} ({len(value):,} characters)"
