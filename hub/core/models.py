"""Tables of the shared pieces: idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.core.clock import utc_now
from hub.db import Base


class IdempotencyRecord(Base):
    """The outcome of a mutation sent with an `idempotencyKey`: a retry with the same key gets it back."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal", "operation", "key", name="uq_idempotency_records_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    principal: Mapped[str] = mapped_column(String(255))
    operation: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
