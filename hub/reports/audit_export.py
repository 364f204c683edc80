"""The audit report of one jurisdiction over a period: its entries, oldest first, streamed in batches.

The period is bounded (`max_days`); rows are read `batch` at a time by sequence number, each batch in a short
session of its own, so a long report never holds a transaction open nor the whole report in memory. A date
alone means the whole day in UTC: `--from 2026-01-01 --to 2026-01-31` is January.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from hub.audit.models import AuditEntry, AuditEntryJurisdiction
from hub.auth.principal import Principal
from hub.auth.scopes import AUDIT_READ
from hub.core.user_errors import InvalidArgumentError
from hub.db import SessionFactory

DEFAULT_MAX_DAYS = 366
DEFAULT_BATCH = 500
COLUMNS = ("seq", "format", "at", "actor", "action", "subject", "jurisdictions", "payload", "prev_hash", "hash")


class ExportFormat(enum.Enum):
    CSV = "csv"
    JSONL = "jsonl"

    @property
    def media_type(self) -> str:
        return "text/csv; charset=utf-8" if self is ExportFormat.CSV else "application/x-ndjson; charset=utf-8"

    @classmethod
    def parse(cls, raw: str | None) -> ExportFormat:
        try:
            return cls((raw or "").strip().lower())
        except ValueError:
            raise InvalidArgumentError("format", f"format must be csv or jsonl, not {raw!r}") from None


@dataclass(frozen=True)
class ExportPeriod:
    """Entries with `start <= at < end` (UTC)."""

    start: datetime
    end: datetime

    @classmethod
    def parse(cls, raw_from: str | None, raw_to: str | None, max_days: int = DEFAULT_MAX_DAYS) -> ExportPeriod:
        start = _moment("from", raw_from, end_of_day=False)
        end = _moment("to", raw_to, end_of_day=True)
        if end <= start:
            raise InvalidArgumentError("to", f"to ({raw_to}) must come after from ({raw_from})")
        if end - start > timedelta(days=max_days):
            raise InvalidArgumentError(
                "to", f"the period from {raw_from} to {raw_to} is longer than {max_days} days: export it in parts"
            )
        return cls(start, end)


def _moment(name: str, raw: str | None, end_of_day: bool) -> datetime:
    """An ISO 8601 date (the day's start, or with `end_of_day` the next day's) or date-time (UTC when no zone)."""
    text = (raw or "").strip()
    if not text:
        raise InvalidArgumentError(name, f"{name} is required: a date like 2026-01-31 or a UTC time")
    if len(text) > 40:
        raise InvalidArgumentError(name, f"{name} {text[:40]!r}... is not a date or time")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return moment + timedelta(days=1) if end_of_day else moment
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgumentError(name, f"{name} {text!r} is not a date (2026-01-31) or time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def regulator_jurisdiction(principal: Principal, requested: str | None) -> str:
    """The jurisdiction an audit:read token may export: its own (Refused FORBIDDEN for any other)."""
    return principal.bound_to(AUDIT_READ, requested, "export the audit log of")


def operator_jurisdiction(raw: str) -> str:
    code = raw.strip().upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise InvalidArgumentError("jurisdiction", f"jurisdiction must be a two-letter country code, not {raw!r}")
    return code


def entry_row(entry: AuditEntry) -> dict[str, Any]:
    """What the entry's hash covers (`format` says how its document is spelt, see hub.audit.documents)."""
    return {
        "seq": entry.seq,
        "format": entry.format,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "jurisdictions": list(entry.jurisdictions),
        "payload": entry.payload,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


async def export_rows(
    sessions: SessionFactory, jurisdiction: str, period: ExportPeriod, batch: int = DEFAULT_BATCH
) -> AsyncIterator[dict[str, Any]]:
    """The entries touching `jurisdiction` in `period`, oldest first; call it only with an authorized jurisdiction."""
    after = 0
    while True:
        stmt = (
            select(AuditEntry)
            .join(AuditEntryJurisdiction, AuditEntryJurisdiction.seq == AuditEntry.seq)
            .where(
                AuditEntryJurisdiction.jurisdiction == jurisdiction,
                AuditEntry.seq > after,
                AuditEntry.at >= period.start,
                AuditEntry.at < period.end,
            )
            .order_by(AuditEntry.seq)
            .limit(batch)
        )
        async with sessions() as session:
            entries = list(await session.scalars(stmt))
        for entry in entries:
            yield entry_row(entry)
        if len(entries) < batch:
            return
        after = entries[-1].seq


async def export_lines(rows: AsyncIterator[dict[str, Any]], form: ExportFormat) -> AsyncIterator[str]:
    """The report as text: CSV with a header line (jurisdictions joined by spaces), or one JSON object a line."""
    if form is ExportFormat.JSONL:
        async for row in rows:
            yield json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
        return
    yield _csv_line(COLUMNS)
    async for row in rows:
        yield _csv_line([" ".join(row["jurisdictions"]) if c == "jurisdictions" else row[c] for c in COLUMNS])


def _csv_line(values: Any) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()
