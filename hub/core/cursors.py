"""Opaque keyset cursors: base64 of "<kind>:<id>", refused with a message naming the bad value."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from hub.core.user_errors import InvalidArgumentError


@dataclass(frozen=True)
class CursorKind:
    """The cursors of one kind of page (catalogue items, audit entries): `hint` tells a caller what to pass."""

    kind: str
    hint: str

    def encode(self, key: int) -> str:
        return base64.urlsafe_b64encode(f"{self.kind}:{key}".encode()).decode()

    def decode(self, cursor: str, field: str = "after") -> int:
        """The id in a cursor of this kind; InvalidArgumentError for anything else."""
        try:
            text = base64.urlsafe_b64decode(cursor.encode()).decode()
            prefix = f"{self.kind}:"
            if text.startswith(prefix):
                return int(text[len(prefix) :])
        except (binascii.Error, UnicodeDecodeError, ValueError):
            pass
        raise InvalidArgumentError(field, f"unknown cursor {cursor!r}: {self.hint}")
