"""Canonical JSON, the one spelling the hub hashes: keys sorted, no spaces, UTF-8 (not ASCII-escaped)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON; TypeError for anything JSON cannot hold (nothing is guessed)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_digest(value: Any) -> str:
    """SHA-256 (hex) of `value`'s canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()
