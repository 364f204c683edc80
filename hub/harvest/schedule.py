"""The background sync of `hub serve`: each partner harvested on a task of its own, `interval` seconds after
its own last run ended, so a slow or endless partner never delays another.

Every `scan_interval` seconds (default: `interval`) the schedule recovers harvests that died (here or in
another hub process) and starts a task for each harvested partner that has none yet: a partner added with
`hub institutions add --protocol` is picked up at the next scan.
"""

from __future__ import annotations

import asyncio
import logging

from hub.harvest.service import SyncService

log = logging.getLogger(__name__)


class PartnerSchedule:
    """One task per harvested partner, each harvesting it and then sleeping `interval` seconds, forever."""

    def __init__(self, service: SyncService, interval: float) -> None:
        self.service = service
        self.interval = interval
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.retired: set[asyncio.Task[None]] = set()
        """Tasks of partners no longer harvested, cancelled and not yet done."""

    async def scan(self) -> None:
        try:
            await self.service.recover_interrupted()
            partners = await self.service.harvestable_partners()
        except Exception:  # the database is away: try again at the next scan
            log.exception("background sync could not list the partners")
            return
        for code in partners:
            if code not in self.tasks:
                self.tasks[code] = asyncio.create_task(self._harvest_forever(code), name=f"sync {code}")
        for code in set(self.tasks) - set(partners):
            task = self.tasks.pop(code)
            task.cancel()
            self.retired.add(task)
            task.add_done_callback(self.retired.discard)

    async def stop(self) -> None:
        """Cancels every partner's task and waits for them (a harvest cut short records itself as interrupted)."""
        tasks = [*self.tasks.values(), *self.retired]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.tasks.clear()

    async def _harvest_forever(self, code: str) -> None:
        while True:
            try:
                await self.service.sync_partner(code)
            except Exception:  # a fault outside the harvest (recording its outcome): the next round tries again
                log.exception("background sync of %s failed", code)
            await asyncio.sleep(self.interval)


async def sync_forever(
    service: SyncService, interval: float, first_delay: float = 0.0, scan_interval: float | None = None
) -> None:
    """Runs the schedule until cancelled; cancelling it stops every partner's task."""
    await asyncio.sleep(first_delay)
    schedule = PartnerSchedule(service, interval)
    try:
        while True:
            await schedule.scan()
            await asyncio.sleep(interval if scan_interval is None else scan_interval)
    finally:
        await schedule.stop()
