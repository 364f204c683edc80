"""Every domain's DataLoaders for one request (or one websocket operation); a new domain adds its set here."""

from __future__ import annotations

from dataclasses import dataclass

from hub.db import SessionFactory
from schema.catalogue.loaders import CatalogueLoaders
from schema.chain.loaders import ChainLoaders
from schema.trading.loaders import TradingLoaders


@dataclass
class Loaders:
    catalogue: CatalogueLoaders
    trading: TradingLoaders
    chain: ChainLoaders

    @classmethod
    def create(cls, sessions: SessionFactory) -> Loaders:
        return cls(
            catalogue=CatalogueLoaders.create(sessions),
            trading=TradingLoaders.create(sessions),
            chain=ChainLoaders.create(sessions),
        )
