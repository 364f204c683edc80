"""The hub's checkpoint signing key (Ed25519): generated on first use and kept in the database, like the token
signing keys. Every key ever used stays there, so old checkpoints stay verifiable after a rotation."""

from __future__ import annotations

import asyncio
import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.models import AuditSigningKey
from hub.audit.signed_note import NoteSigner, NoteVerifier, check_key_name, raw_public_key
from hub.core.clock import utc_now
from hub.db import SessionFactory


def _signer(row: AuditSigningKey) -> NoteSigner:
    return NoteSigner(row.name, Ed25519PrivateKey.from_private_bytes(base64.b64decode(row.private_key)))


def _verifier(row: AuditSigningKey) -> NoteVerifier:
    return NoteVerifier(row.name, base64.b64decode(row.public_key))


async def stored_verifiers(session: AsyncSession) -> list[NoteVerifier]:
    """The public half of every key the hub has signed checkpoints with, oldest first."""
    rows = await session.scalars(select(AuditSigningKey).order_by(AuditSigningKey.id))
    return [_verifier(row) for row in rows]


class NoteKeys:
    """The key that signs checkpoints, named `name` (the log's origin) when the hub makes it."""

    def __init__(self, sessions: SessionFactory, name: str) -> None:
        check_key_name(name)
        self.sessions = sessions
        self.name = name
        self._signer: NoteSigner | None = None
        self._lock = asyncio.Lock()

    async def signer(self) -> NoteSigner:
        """The oldest key not retired; one is generated and stored when there is none."""
        async with self._lock:
            if self._signer is None:
                self._signer = await self._load() or await self._create()
            return self._signer

    async def verifier(self) -> NoteVerifier:
        return (await self.signer()).verifier

    async def _load(self) -> NoteSigner | None:
        async with self.sessions() as session:
            row = await session.scalar(
                select(AuditSigningKey).where(AuditSigningKey.retired_at.is_(None)).order_by(AuditSigningKey.id)
            )
        return _signer(row) if row is not None else None

    async def _create(self) -> NoteSigner:
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        async with self.sessions.begin() as session:
            session.add(
                AuditSigningKey(
                    name=self.name,
                    private_key=base64.b64encode(private).decode(),
                    public_key=base64.b64encode(raw_public_key(key.public_key())).decode(),
                    created_at=utc_now(),
                )
            )
        # Two processes may have made one at once: every process signs with the oldest.
        loaded = await self._load()
        assert loaded is not None
        return loaded
