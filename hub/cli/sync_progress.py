"""What `hub sync` shows while it harvests: one line per partner, in a fixed order, that fits the terminal.

On a terminal, a live table whose headers say what the numbers are (added, changed, removed, unchanged, set
aside), or, when the table is wider than the terminal, one short line per partner under a legend in words. On
anything else (a pipe, a log file), plain lines: one when a partner is done and one now and then while it runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from hub.harvest.service import SyncResult

PLAIN_EVERY = 10.0
"""Seconds between two plain progress lines of a partner that is still being harvested."""

COUNTS = ("added", "changed", "removed", "unchanged", "set aside")
SYMBOLS = {"added": "+", "changed": "~", "removed": "-", "unchanged": "=", "set aside": "!"}
LEGEND = "  ".join(f"{symbol} {word}" for word, symbol in SYMBOLS.items())
STATE_STYLES = {"running": "cyan", "done": "green", "skipped": "yellow", "FAILED": "bold red"}


@dataclass
class PartnerLine:
    partner: str
    state: str = "running"
    pages: int = 0
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    error: str | None = None
    set_aside: list[str] = field(default_factory=list)
    """The first records set aside, each as "ID: reason"."""
    shown_at: float = field(default_factory=time.monotonic)
    """When the last plain progress line of this partner was printed (at first: when the harvest started)."""

    def take(self, result: SyncResult) -> None:
        changes = result.changes
        self.pages = result.pages
        self.counts = (
            len(changes.added),
            len(changes.changed),
            len(changes.removed),
            changes.unchanged,
            result.rejected,
        )

    @property
    def records(self) -> int:
        return sum(self.counts)

    def in_words(self) -> str:
        counted = ", ".join(f"{count} {word}" for word, count in zip(COUNTS, self.counts, strict=True))
        pages, records = _plural(self.pages, "page"), _plural(self.records, "record")
        return f"{self.pages} {pages}, {self.records} {records}: {counted}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def problem_of(result: SyncResult) -> str:
    """The error without the partner's code in front: the line names the partner already."""
    error = result.error or "failed"
    prefix = f"{result.partner}: "
    return error[len(prefix) :] if error.startswith(prefix) else error


class SyncDisplay:
    """Progress of one `hub sync`: `update` after each stored page, `finished` when a partner is done."""

    def __init__(self, partners: Sequence[str], console: Console) -> None:
        self.console = console
        self.lines = {code: PartnerLine(code) for code in partners}
        self.plain = not console.is_terminal
        self.live: Live | None = None

    def __enter__(self) -> SyncDisplay:
        if not self.plain:
            self.live = Live(console=self.console, get_renderable=self.render, refresh_per_second=8, transient=False)
            self.live.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
        if self.plain:
            return
        for line in self.lines.values():
            for record in line.set_aside:
                self.console.print(Text(f"{line.partner} set aside {record}", style="yellow"))
            if line.error is not None:
                self.console.print(Text(f"{line.partner} failed: {line.error}", style="red"))

    def update(self, result: SyncResult) -> None:
        line = self.lines[result.partner]
        line.take(result)
        now = time.monotonic()
        if self.plain and now - line.shown_at >= PLAIN_EVERY:
            line.shown_at = now
            self._plain(f"{line.partner} harvesting: {line.in_words()} so far")

    def finished(self, result: SyncResult) -> None:
        line = self.lines[result.partner]
        line.take(result)
        line.set_aside = [f"{r.source_id or '(no id)'}: {r.reason}" for r in result.first_rejections]
        if result.skipped:
            line.state = "skipped"
            self._plain(f"{line.partner} skipped: another hub process is harvesting it now")
        elif result.ok:
            line.state = "done"
            self._plain(f"{line.partner} done: {line.in_words()}")
            for record in line.set_aside:
                self._plain(f"{line.partner} set aside {record}")
        else:
            line.state = "FAILED"
            line.error = problem_of(result)
            self._plain(f"{line.partner} failed: {line.error}")

    def _plain(self, message: str) -> None:
        if self.plain:
            self.console.print(f"hub sync: {message}", highlight=False, soft_wrap=True)

    def render(self) -> RenderableType:
        """The table with the counts' names as headers; narrower, under a legend, when that is too wide."""
        table = self.table(compact=False)
        natural = Measurement.get(self.console, self.console.options.update_width(10_000), table).maximum
        if natural <= self.console.width:
            return table
        legend = Text(LEGEND, style="dim")
        return Group(legend, self.table(compact=True))

    def table(self, compact: bool) -> Table:
        table = Table(box=None, pad_edge=False, padding=(0, 1, 0, 0), header_style="bold")
        table.add_column("PARTNER", no_wrap=True, overflow="ellipsis")
        table.add_column("STATUS", no_wrap=True, overflow="ellipsis")
        table.add_column("PAGES", justify="right", no_wrap=True)
        if not compact:
            table.add_column("RECORDS", justify="right", no_wrap=True)
        for word in COUNTS:
            table.add_column(SYMBOLS[word] if compact else word.upper(), justify="right", no_wrap=True)
        for line in self.lines.values():
            records = [] if compact else [str(line.records)]
            table.add_row(
                line.partner,
                Text(line.state, style=STATE_STYLES.get(line.state, "")),
                str(line.pages),
                *records,
                *(str(count) for count in line.counts),
            )
        return table
