"""A search made slow on purpose: many items whose search text is one long run of `x`, and a term that almost
matches everywhere (a naive substring search compares ~150 characters at every position of every item)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text

from hub.app import Hub
from hub.db import create_engine

SLOW_TERM = "x" * 150 + "y"
SLOW_QUERY = '{ catalogue(query: "' + SLOW_TERM + '") { totalCount } }'

_INSERT = text(
    """INSERT INTO catalogue_items (institution_id, source_id, kind, language, titles, descriptions, creators,
      origin_country, export_restricted, extra, search_text, content_hash, source_updated_at, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
    SELECT (SELECT min(id) FROM institutions), :prefix || i, 'COIN', 'en', '[]', '[]', '[]', 'CN', false, '{}',
      :search, 'x', :now, :now, :now FROM n"""
)


async def store_slow_items(hub: Hub, count: int = 10_000) -> None:
    """Seconds of searching for SLOW_TERM (about 5 s on SQLite), written in about one (without the hub's
    statement timeout)."""
    engine = create_engine(hub.settings.database_url)
    try:
        async with engine.begin() as connection:
            values = {"count": count, "search": "x" * 1000, "now": datetime(2024, 1, 1)}
            await connection.execute(_INSERT, values | {"prefix": f"SLOW-{uuid.uuid4()}-"})
    finally:
        await engine.dispose()


COUNTING_FOREVER = text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
)
"""A statement that runs for minutes on SQLite and PostgreSQL alike."""
