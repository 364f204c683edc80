"""Every domain's DataLoaders for one request (or one websocket operation); a new domain adds its set here."""

from __future__ import annotations

from dataclasses import dataclass

from hub.db import SessionFactory
from schema.catalogue.loaders import CatalogueLoaders
from schema.chain.loaders import ChainLoaders


@dataclass
class Loaders:
    catalogue: CatalogueLoaders
    chain: ChainLoaders

    @classmethod
    def create(cls, sessions: SessionFactory) -> Loaders:
        return cls(catalogue=CatalogueLoaders.create(sessions), chain=ChainLoaders.create(sessions))
