"""The clearance domain for the graph and the command line: each method reads or writes in one transaction."""

from __future__ import annotations

from datetime import datetime

from hub.clearance.assessment import Assessment, assess, load_item
from hub.clearance.rule_table import RuleTable
from hub.core.clock import utc_now
from hub.db import SessionFactory
from hub.money.money import Money


class ClearanceService:
    def __init__(self, sessions: SessionFactory, table: RuleTable) -> None:
        self.sessions = sessions
        self.table = table

    async def check(
        self,
        item_id: int,
        destination: str,
        value: Money | None = None,
        purpose: str = "SALE",
        at: datetime | None = None,
    ) -> Assessment:
        """What the hub would decide if `item_id` were traded to `destination` now: nothing is written."""
        async with self.sessions() as session:
            item = await load_item(session, item_id)
            return await assess(
                session, self.table, item, destination=destination, value=value, purpose=purpose, at=at or utc_now()
            )
