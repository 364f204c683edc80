"""The chain's DataLoaders for one request: items' provenance."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from hub.db import SessionFactory
from hub.provenance.service import ProvenanceEvent, item_provenance
from schema.core.dataloaders import batch_loader


@dataclass
class ChainLoaders:
    provenance: DataLoader[int, list[ProvenanceEvent]]

    @classmethod
    def create(cls, sessions: SessionFactory) -> ChainLoaders:
        return cls(provenance=batch_loader(sessions, item_provenance, list))
