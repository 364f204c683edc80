"""How long the hub waits for a chain, and how long before it tries a chain again."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChainTimeouts:
    """Bounds in seconds: one JSON-RPC request, waiting for a receipt, one whole write (deploy or anchor)."""

    request: float = 10.0
    receipt: float = 120.0
    operation: float = 180.0


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt n+1 after n failures: base * 2**(n-1), capped, then jittered down by up to half."""

    base: float = 1.0
    cap: float = 300.0

    def delay(self, failures: int, draw: Callable[[], float] = random.random) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(max(failures - 1, 0), 64))
        return float(ceiling / 2 + draw() * ceiling / 2)
