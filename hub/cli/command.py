"""What the operator commands share: a database for the length of a command, refusals as one line, tables.

The command modules import the application (SQLAlchemy, aiohttp, ...) inside their handlers, so `hub --help`
and `hub --version` answer at once (tests/hub/cli/test_main.py checks it).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from collections.abc import AsyncIterator, Coroutine
from typing import TYPE_CHECKING, Any

from hub.settings import Settings

if TYPE_CHECKING:
    from hub.db import SessionFactory


@contextlib.asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[SessionFactory]:
    from hub.db import create_engine, session_factory

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


def print_warning(message: str) -> None:
    print(f"hub: warning: {message}", file=sys.stderr)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if value is True or value is False:
        return "yes" if value else "no"
    return str(value)


def print_table(rows: list[dict[str, Any]], as_json: bool, empty: str = "(none)") -> None:
    """Rows as one JSON list, or as a table with a header: boxed on a terminal, plain aligned columns otherwise.

    Columns are the keys of the first row; widths count East Asian characters as two columns.
    """
    if as_json:
        print_json(rows)
        return
    if not rows:
        print(empty)
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    terminal = sys.stdout.isatty()
    table = Table(box=box.SIMPLE_HEAD if terminal else None, pad_edge=False, show_edge=False, highlight=False)
    for name in rows[0]:
        table.add_column(name.upper().replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(value) for value in row.values()))
    if terminal:
        Console(highlight=False).print(table)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=10_000, color_system=None, highlight=False).print(table)
    print("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))
