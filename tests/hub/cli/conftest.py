"""Running the `hub` command in tests: in-process through `hub.cli.main` as an operator would, or as a
subprocess (`python -m hub.cli`) for commands that serve or exit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import pytest

from hub.app import Hub
from hub.cli import main

HubCli = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
def hub_cli(hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[HubCli]:
    """Runs `hub ARGS...` on the test database in a worker thread (the CLI runs its own event loop)."""
    monkeypatch.setenv("HUB_DATABASE_URL", hub.settings.database_url)

    async def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = await asyncio.to_thread(main, list(argv))
        out, err = capsys.readouterr()
        return status, out, err

    yield run
