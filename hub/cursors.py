"""Opaque keyset cursors: base64 of "<kind>:<id>", refused with a message naming the bad value."""

from __future__ import annotations

import base64
import binascii


class UnknownCursorError(ValueError):
    pass


def encode_cursor(kind: str, key: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> int:
    """The id in a cursor of `kind`; UnknownCursorError for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        prefix = f"{kind}:"
        if text.startswith(prefix):
            return int(text[len(prefix) :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise UnknownCursorError(f"unknown cursor {cursor!r}")
