"""Peak Python memory of a block, with tracemalloc: deterministic where RSS is not."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Traced:
    peak_growth: int = 0
    """Bytes: the highest traced memory during the block, over what was traced when it began."""


@contextmanager
def traced() -> Iterator[Traced]:
    result = Traced()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        yield result
    finally:
        result.peak_growth = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
