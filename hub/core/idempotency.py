"""Idempotency keys of mutations: a retry with the same key gets the first outcome back, nothing applied twice."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.core.canonical_json import canonical_digest
from hub.core.models import IdempotencyRecord
from hub.core.translations import N_, Message
from hub.core.user_errors import CommonErrorCode, Refused, UserError

MAX_KEY_LENGTH = 255


KEY_REUSED = N_("The idempotency key {key} was used before for a different {operation} request.")


class IdempotencyKeyReusedError(ValueError):
    """The key was used before by the same caller for a different request; `message` says so in any language."""

    def __init__(self, key: str, operation: str) -> None:
        self.message = Message("core", KEY_REUSED, key=repr(key), operation=operation)
        super().__init__(str(self.message))


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
        raise IdempotencyKeyReusedError(key, operation)
    return record.outcome


def remember(
    session: AsyncSession, principal: str, operation: str, key: str, fingerprint: str, outcome: dict[str, Any]
) -> None:
    """Adds the outcome to the caller's transaction: recorded together with the change, or not at all."""
    session.add(
        IdempotencyRecord(principal=principal, operation=operation, key=key, request_hash=fingerprint, outcome=outcome)
    )


async def recall_or_refuse(
    session: AsyncSession, principal: str, operation: str, key: str, fingerprint: str
) -> dict[str, Any] | None:
    """`recall`, with a key used before for a different request refused (IDEMPOTENCY_KEY_REUSED, nothing written)."""
    try:
        return await recall(session, principal, operation, key, fingerprint)
    except IdempotencyKeyReusedError as exc:
        raise Refused(UserError(CommonErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency_key", exc.message)) from None
