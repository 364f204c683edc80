"""The trading tests' market (TWMM sells, MNAA and LAD buy) for provenance."""

from __future__ import annotations

from tests.hub.trading.conftest import market

__all__ = ["market"]
