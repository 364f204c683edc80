"""When the serving hub makes checkpoints: after `every_entries` new entries, or once the oldest entry no checkpoint
covers is `every_seconds` old. `hub audit checkpoint` makes one at once through the same object, so whatever is
hooked in (`hooks`: the anchors of each checkpoint, queued in its transaction) runs for both."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from hub.audit.checkpoints import InTransaction, checkpoint_now, entries_since_checkpoint
from hub.audit.models import AuditCheckpoint, AuditEntry
from hub.audit.note_keys import NoteKeys
from hub.core.clock import utc_now
from hub.db import SessionFactory

logger = logging.getLogger("hub.audit")

MAX_POLL_SECONDS = 2.0


@dataclass
class Checkpointer:
    sessions: SessionFactory
    keys: NoteKeys
    origin: str
    every_entries: int = 1000
    every_seconds: float = 60.0
    hooks: list[InTransaction] = field(default_factory=list)
    """Called inside each new checkpoint's transaction, in order."""

    async def checkpoint_now(self) -> AuditCheckpoint | None:
        """A checkpoint over every entry so far; None when no entry was added since the last one."""
        checkpoint = await checkpoint_now(self.sessions, await self.keys.signer(), self.origin, self.hooks)
        if checkpoint is not None:
            logger.info("audit checkpoint of %d entries, root %s", checkpoint.tree_size, checkpoint.root_hash)
        return checkpoint

    async def due(self) -> bool:
        async with self.sessions() as session:
            uncovered, latest = await entries_since_checkpoint(session)
            if uncovered <= 0:
                return False
            if uncovered >= self.every_entries:
                return True
            oldest = await session.scalar(
                select(AuditEntry.at).where(AuditEntry.seq == (latest.tree_size if latest else 0) + 1)
            )
        return oldest is not None and (utc_now() - oldest).total_seconds() >= self.every_seconds

    async def run_forever(self) -> None:
        """Checks every couple of seconds (or `every_seconds`, when shorter) until cancelled; a failure is logged and
        tried again at the next check."""
        pause = min(self.every_seconds, MAX_POLL_SECONDS)
        while True:
            try:
                if await self.due():
                    await self.checkpoint_now()
            except Exception:
                logger.exception("the audit checkpoint could not be made; trying again")
            await asyncio.sleep(pause)
