"""The catalogue's per-request DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from hub.catalogue import query
from hub.catalogue.institutions import institutions_by_codes, institutions_by_ids
from hub.catalogue.models import CatalogueItem, Institution, ItemImage
from hub.db import SessionFactory
from hub.harvest.status import NEVER_SYNCED, PartnerSyncStatus, sync_statuses
from schema.core.dataloaders import batch_loader


@dataclass
class CatalogueLoaders:
    items: DataLoader[int, CatalogueItem | None]
    images: DataLoader[int, list[ItemImage]]
    institutions: DataLoader[int, Institution | None]
    institutions_by_code: DataLoader[str, Institution | None]
    item_counts: DataLoader[int, int]
    sync_statuses: DataLoader[int, PartnerSyncStatus]

    @classmethod
    def create(cls, sessions: SessionFactory) -> CatalogueLoaders:
        return cls(
            items=batch_loader(sessions, query.items_by_ids),
            images=batch_loader(sessions, query.images_by_item_ids, list),
            institutions=batch_loader(sessions, institutions_by_ids),
            institutions_by_code=batch_loader(sessions, institutions_by_codes),
            item_counts=batch_loader(sessions, query.live_item_counts, int),
            sync_statuses=batch_loader(sessions, sync_statuses, lambda: NEVER_SYNCED),
        )
