"""Catalogue changes across hub processes that share a PostgreSQL database, over LISTEN/NOTIFY
(hub.core.notify_relay).

Each process relays the changes it makes (`CatalogueEvents.announce`) as notifications and
publishes the ones other processes send to its own subscribers, so `catalogueChanges` and the
response cache see every replica's writes. SQLite serves one process and needs no relay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.catalogue.events import CatalogueChange, CatalogueEvents, ChangeKind
from hub.core.notify_relay import NotifyChannel, NotifyRelay, payloads

CHANNEL = "hub_catalogue_changes"
IDS_PER_NOTIFICATION = 500
"""Keeps each payload well under PostgreSQL's 8,000-byte NOTIFY limit."""


def bodies(changes: list[CatalogueChange]) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, ChangeKind, datetime], list[int]] = {}
    for change in changes:
        grouped.setdefault((change.institution, change.kind, change.at), []).append(change.item_id)
    return [
        {
            "institution": institution,
            "kind": kind.value,
            "at": at.isoformat(),
            "ids": ids[start : start + IDS_PER_NOTIFICATION],
        }
        for (institution, kind, at), ids in grouped.items()
        for start in range(0, len(ids), IDS_PER_NOTIFICATION)
    ]


def changes_of(body: dict[str, Any]) -> list[CatalogueChange]:
    at = datetime.fromisoformat(body["at"])
    kind = ChangeKind(body["kind"])
    return [CatalogueChange(kind, int(item_id), str(body["institution"]), at) for item_id in body["ids"]]


def notifications(origin: str, changes: list[CatalogueChange]) -> list[str]:
    return payloads(origin, bodies(changes))


CATALOGUE_CHANGES = NotifyChannel(CHANNEL, bodies, changes_of, "catalogue changes")


class PostgresChangeRelay(NotifyRelay[CatalogueChange]):
    def __init__(self, engine: AsyncEngine, events: CatalogueEvents) -> None:
        super().__init__(engine, CATALOGUE_CHANGES, events)
