"""What the operator commands share: a database for the length of a command, refusals as one line, rows printed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from hub.db import SessionFactory, create_engine, session_factory
from hub.settings import Settings


@contextlib.asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[SessionFactory]:
    engine = create_engine(settings.database_url)
    try:
        yield session_factory(engine)
    finally:
        await engine.dispose()


def run(command: Coroutine[Any, Any, int]) -> int:
    """Runs an operator command; a refusal (a bad value, an unreadable file) is one line on stderr and exit 1."""
    try:
        return asyncio.run(command)
    except (OSError, ValueError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 1


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False))


def print_rows(rows: list[dict[str, Any]], as_json: bool) -> None:
    """Rows as one JSON list, or one tab-separated line each."""
    if as_json:
        print_json(rows)
        return
    for row in rows:
        print("\t".join("" if value is None else str(value) for value in row.values()))
