"""How deeply a JSON text nests, counted without decoding it.

Python's JSON decoder recurses: a text nested 100,000 levels deep makes it raise RecursionError. This strips the
JSON strings with one regular expression and counts brackets, so it costs little even on a large body.
"""

from __future__ import annotations

import re
from itertools import accumulate

MAX_JSON_DEPTH = 32
"""GraphQL variables of the hub's inputs nest a handful of levels; nothing legitimate comes near this."""

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(data: bytes) -> int:
    """How deeply `data` nests arrays and objects (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(_STEP[b] for b in brackets), default=0)


def depth_over_limit(data: bytes, limit: int = MAX_JSON_DEPTH) -> int | None:
    """The depth of `data` when it nests deeper than `limit`, else None; cheap when `data` has few brackets."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return None
    depth = json_depth(data)
    return depth if depth > limit else None
