"""Idempotency keys of mutations: a retry with the same key gets the first outcome back, nothing applied twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.core.canonical_json import canonical_digest
from hub.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 255


class IdempotencyKeyReusedError(ValueError):
    """The key was used before by the same caller for a different request."""


def request_hash(request: Any) -> str:
    """What identifies a request's content, to tell a retry from a different request under the same key."""
    return canonical_digest(request)


async def recall(
    session: AsyncSession, principal: str, operation: str, key: str, fingerprint: str
) -> dict[str, Any] | None:
    """The recorded outcome for this key, None when it is new."""
    record = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.principal == principal,
            IdempotencyRecord.operation == operation,
            IdempotencyRecord.key == key,
        )
    )
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReusedError(f"idempotency key {key!r} was used for a different {operation} request")
    return record.outcome


def remember(
    session: AsyncSession, principal: str, operation: str, key: str, fingerprint: str, outcome: dict[str, Any]
) -> None:
    """Adds the outcome to the caller's transaction: recorded together with the change, or not at all."""
    session.add(
        IdempotencyRecord(principal=principal, operation=operation, key=key, request_hash=fingerprint, outcome=outcome)
    )
