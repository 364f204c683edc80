"""Ends long-lived sessions (websockets) once their token stops being valid: a timer at the token's `exp`, and
every `interval` seconds one query for revocations among all the tokens watched (so a revoked token's session
ends within `interval`, whichever hub process revoked it)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from hub.auth.models import OAuthClient, RevokedToken
from hub.auth.principal import Principal
from hub.core.clock import utc_now
from hub.db import SessionFactory

log = logging.getLogger(__name__)

EXPIRED = "token expired"
REVOKED = "token revoked"
IDS_PER_QUERY = 500

End = Callable[[str], Coroutine[Any, Any, None]]
"""Ends the session, given the reason."""


@dataclass(eq=False)
class Watched:
    principal: Principal
    end: End
    timer: asyncio.TimerHandle | None = None
    ended: bool = field(default=False)


class TokenWatch:
    def __init__(self, sessions: SessionFactory, own_issuer: str, interval: float) -> None:
        self.sessions = sessions
        self.own_issuer = own_issuer
        self.interval = interval
        self._watched: set[Watched] = set()
        self._checker: asyncio.Task[None] | None = None
        self._ending: set[asyncio.Task[None]] = set()

    def watch(self, principal: Principal, end: End) -> Watched:
        """Calls `end(reason)` once the token of `principal` expires or is revoked, unless `forget` comes first."""
        entry = Watched(principal, end)
        self._watched.add(entry)
        if principal.expires_at is not None:
            delay = max(0.0, (principal.expires_at - utc_now()).total_seconds())
            entry.timer = asyncio.get_running_loop().call_later(delay, self._end, entry, EXPIRED)
        if self._checker is None or self._checker.done():
            self._checker = asyncio.create_task(self._check_forever())
        return entry

    def forget(self, entry: Watched) -> None:
        self._watched.discard(entry)
        if entry.timer is not None:
            entry.timer.cancel()
        if not self._watched and self._checker is not None:
            self._checker.cancel()
            self._checker = None

    def _end(self, entry: Watched, reason: str) -> None:
        if entry.ended:
            return
        entry.ended = True
        self.forget(entry)
        task = asyncio.create_task(entry.end(reason))
        self._ending.add(task)
        task.add_done_callback(self._ending.discard)

    async def _check_forever(self) -> None:
        while self._watched:
            await asyncio.sleep(self.interval)
            try:
                revoked = await self._revoked(list(self._watched))
            except Exception as exc:  # the database is away: try again next time
                log.warning("could not check websocket tokens for revocation: %s", exc)
                continue
            for entry in revoked:
                self._end(entry, REVOKED)

    async def _revoked(self, entries: list[Watched]) -> list[Watched]:
        token_ids = {e.principal.token_id for e in entries if e.principal.token_id is not None}
        client_ids = {e.principal.client_id for e in entries if e.principal.issuer == self.own_issuer}
        revoked_tokens: set[str] = set()
        revoked_clients: set[str | None] = set()
        async with self.sessions() as session:
            for chunk in _chunks(sorted(token_ids)):
                revoked_tokens.update(
                    await session.scalars(select(RevokedToken.jti).where(RevokedToken.jti.in_(chunk)))
                )
            for chunk in _chunks(sorted(c for c in client_ids if c is not None)):
                query = select(OAuthClient.client_id).where(
                    OAuthClient.client_id.in_(chunk), OAuthClient.revoked_at.is_not(None)
                )
                revoked_clients.update(await session.scalars(query))
        return [
            e
            for e in entries
            if e.principal.token_id in revoked_tokens
            or (e.principal.issuer == self.own_issuer and e.principal.client_id in revoked_clients)
        ]

    async def close(self) -> None:
        for entry in list(self._watched):
            self.forget(entry)
        for task in list(self._ending):
            with contextlib.suppress(Exception):
                await task


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[start : start + IDS_PER_QUERY] for start in range(0, len(values), IDS_PER_QUERY)]
