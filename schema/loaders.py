"""Every domain's DataLoaders for one request (or one websocket operation); a new domain adds its set here."""

from __future__ import annotations

from dataclasses import dataclass

from hub.db import SessionFactory
from schema.catalogue.loaders import CatalogueLoaders


@dataclass
class Loaders:
    catalogue: CatalogueLoaders

    @classmethod
    def create(cls, sessions: SessionFactory) -> Loaders:
        return cls(catalogue=CatalogueLoaders.create(sessions))
