"""The `hub` command as a whole: settings are read once, and a bad one is named before anything runs."""

from __future__ import annotations

from pathlib import Path

from tests.hub.cli.support import run_hub


async def test_cli_refuses_a_bad_setting_naming_it(tmp_path: Path) -> None:
    code, _out, err = await run_hub("migrate", env={"HUB_SYNC_INTERVAL": "often"})
    assert code == 2
    assert "HUB_SYNC_INTERVAL must be a number of seconds, not 'often'" in err
