"""What `hub sync` shows: one line per partner in a fixed order, fitting the terminal, the counts named in words."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from connectors.records import RejectedRecord
from hub.catalogue.changes import ChangeSet
from hub.cli.sync_progress import SyncDisplay
from hub.harvest.service import SyncResult

PARTNERS = ["NLC", "CRECC", "TWMM"]
WORDS = ("added", "changed", "removed", "unchanged", "set aside")


def harvested(partner: str, pages: int, added: int, unchanged: int = 0, rejected: int = 0) -> SyncResult:
    changes = ChangeSet(added=list(range(added)), unchanged=unchanged, rejected=rejected)
    return SyncResult(partner, True, changes, pages=pages)


def terminal(width: int) -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, width=width, force_terminal=True, color_system=None), screen


@pytest.mark.parametrize("width", [40, 60, 80, 100, 200])
def test_sync_display_keeps_one_line_per_partner_within_the_width(width: int) -> None:
    console, screen = terminal(width)
    display = SyncDisplay(PARTNERS, console)
    display.update(harvested("TWMM", 1204, 12040, unchanged=3, rejected=2))
    display.finished(harvested("NLC", 4, 28))
    display.finished(SyncResult("CRECC", False, error="CRECC: HTTP 503 (at http://127.0.0.1:8102/relics)"))
    console.print(display.render())
    lines = screen.getvalue().splitlines()
    assert all(len(line) <= width for line in lines), lines
    partner_lines = [line for line in lines if line.split() and line.split()[0] in PARTNERS]
    assert [line.split()[0] for line in partner_lines] == PARTNERS  # once each, in the order given
    assert any("PAGES" in line for line in lines[: lines.index(partner_lines[0])])  # a header above the rows
    legend = " ".join(lines).lower()
    assert all(word in legend for word in WORDS), lines


def test_sync_display_wide_terminal_has_the_counts_words_as_headers() -> None:
    console, screen = terminal(100)
    display = SyncDisplay(PARTNERS, console)
    display.finished(harvested("NLC", 4, 28, rejected=3))
    console.print(display.render())
    header, nlc, *_ = screen.getvalue().splitlines()
    assert header.split() == ["PARTNER", "STATUS", "PAGES", "RECORDS", *(w.upper() for w in " ".join(WORDS).split())]
    assert nlc.split() == ["NLC", "done", "4", "31", "28", "0", "0", "0", "3"]


def test_sync_display_live_on_a_terminal_ends_with_the_table_and_each_failure_once() -> None:
    console, screen = terminal(80)
    with SyncDisplay(PARTNERS, console) as display:
        display.update(harvested("NLC", 1, 10))
        display.finished(harvested("NLC", 4, 28))
        display.finished(SyncResult("CRECC", False, error="CRECC: HTTP 503 (at http://127.0.0.1:8102/relics)"))
        display.finished(SyncResult("TWMM", True, skipped=True))
    output = screen.getvalue()
    assert output.count("CRECC failed: HTTP 503 (at http://127.0.0.1:8102/relics)") == 1
    assert "hub sync:" not in output  # no plain lines on a terminal
    last_frame = output.rsplit("PARTNER", 1)[1]
    assert "done" in last_frame and "FAILED" in last_frame and "skipped" in last_frame


def test_sync_display_plain_lines_when_not_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, width=60, color_system=None)
    with SyncDisplay(PARTNERS, console) as display:
        nlc = harvested("NLC", 4, 28, rejected=1)
        nlc.first_rejections = [RejectedRecord("nlc-7", "no title in any language", "<record>")]
        display.finished(nlc)
        display.finished(SyncResult("CRECC", False, error="CRECC: HTTP 503 (at http://127.0.0.1:8102/relics)"))
    assert screen.getvalue().splitlines() == [
        "hub sync: NLC done: 4 pages, 29 records: 28 added, 0 changed, 0 removed, 0 unchanged, 1 set aside",
        "hub sync: NLC set aside nlc-7: no title in any language",
        "hub sync: CRECC failed: HTTP 503 (at http://127.0.0.1:8102/relics)",
    ]
