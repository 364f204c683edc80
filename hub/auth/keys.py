"""The hub's token signing keys: generated on first use, kept in the database, rotated by `hub keys rotate`.

A retired key stays published at /.well-known/jwks.json until every token it signed has expired.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import delete, or_, select, update

from hub.audit.log import append_entry
from hub.auth.models import SigningKey
from hub.core.clock import utc_now
from hub.db import SessionFactory

ALGORITHM = "RS256"
KEY_SIZE = 2048
CACHE_SECONDS = 60.0
"""How long a process may sign with a cached key after a rotation elsewhere; old keys stay published this longer."""
RELOAD_THROTTLE_SECONDS = 0.5
KEYS_ACTOR = "hub:keys"
KEY_CREATED = "auth.signing_key_created"
KEY_ROTATED = "auth.signing_key_rotated"


def _generate() -> RSAKey:
    key = RSAKey.generate_key(KEY_SIZE, private=True)
    return RSAKey.import_key(key.as_dict(private=True), {"kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"})


class SigningKeys:
    """The keys in use, cached in memory for `CACHE_SECONDS` and reloaded when a token names an unknown `kid`."""

    def __init__(self, sessions: SessionFactory, token_lifetime: int) -> None:
        self.sessions = sessions
        self.token_lifetime = token_lifetime
        self._current: RSAKey | None = None
        self._published: dict[str, RSAKey] = {}
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def _grace(self) -> timedelta:
        return timedelta(seconds=self.token_lifetime + CACHE_SECONDS)

    async def signing_key(self) -> RSAKey:
        """The newest key; one is generated and stored when the database has none."""
        await self._refresh(CACHE_SECONDS)
        if self._current is None:
            async with self._lock:
                if self._current is None:
                    await self._create(retire_others=False)
        assert self._current is not None
        return self._current

    async def verification_keys(self, kid: str | None) -> KeySet:
        """The published keys; reloaded first when `kid` is not among them (another process may have rotated)."""
        await self._refresh(CACHE_SECONDS)
        if kid is not None and kid not in self._published:
            # At most one reload a second, however many unknown kids arrive; a genuine new key waits for it.
            wait = RELOAD_THROTTLE_SECONDS - (time.monotonic() - self._loaded_at)
            if wait > 0:
                await asyncio.sleep(wait)
            await self._refresh(RELOAD_THROTTLE_SECONDS)
        return KeySet(list(self._published.values()))

    async def jwks(self) -> dict[str, Any]:
        """The public JWK set; holds the signing key (generated now on a fresh hub)."""
        await self.signing_key()
        keys = [key.as_dict(private=False) for key in self._published.values()]
        return {"keys": keys}

    async def rotate(self) -> str:
        """A new signing key, the previous ones retired (still published until their tokens expire); its kid."""
        async with self._lock:
            key = await self._create(retire_others=True)
        return key.kid or ""

    async def _create(self, retire_others: bool) -> RSAKey:
        key = await asyncio.to_thread(_generate)
        now = utc_now()
        async with self.sessions.begin() as session:
            retired: list[str] = []
            deleted: list[str] = []
            if retire_others:
                retired = list(
                    await session.scalars(
                        update(SigningKey)
                        .where(SigningKey.retired_at.is_(None))
                        .values(retired_at=now)
                        .returning(SigningKey.kid)
                    )
                )
                deleted = list(
                    await session.scalars(
                        delete(SigningKey).where(SigningKey.retired_at < now - self._grace).returning(SigningKey.kid)
                    )
                )
            session.add(
                SigningKey(kid=key.kid, algorithm=ALGORITHM, private_jwk=key.as_dict(private=True), created_at=now)
            )
            await session.flush()
            # The public facts only: which key signs now, which retired, which are gone.
            payload = {"kid": key.kid, "algorithm": ALGORITHM, "retired": sorted(retired), "deleted": sorted(deleted)}
            action = KEY_ROTATED if retire_others else KEY_CREATED
            await append_entry(session, KEYS_ACTOR, action, f"signing_key:{key.kid}", [], payload)
        await self._load()
        return key

    async def _refresh(self, max_age: float) -> None:
        if time.monotonic() - self._loaded_at >= max_age:
            async with self._lock:
                if time.monotonic() - self._loaded_at >= max_age:
                    await self._load()

    async def _load(self) -> None:
        cutoff: datetime = utc_now() - self._grace
        async with self.sessions() as session:
            rows = (
                await session.scalars(
                    select(SigningKey)
                    .where(or_(SigningKey.retired_at.is_(None), SigningKey.retired_at > cutoff))
                    .order_by(SigningKey.created_at.desc(), SigningKey.kid)
                )
            ).all()
        self._published = {row.kid: RSAKey.import_key(row.private_jwk) for row in rows}
        current = next((row for row in rows if row.retired_at is None), None)
        self._current = self._published[current.kid] if current else None
        self._loaded_at = time.monotonic()
