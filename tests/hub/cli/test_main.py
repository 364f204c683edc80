"""The `hub` command as a whole: settings are read once and a bad one is named before anything runs; every command
and option explains itself and its default; the version comes from the package."""

from __future__ import annotations

import argparse
import asyncio
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from hub.cli import build_parser, main
from hub.cli.settings import setting_names
from tests.hub.cli.support import ROOT, run_hub


async def test_cli_refuses_a_bad_setting_naming_it(tmp_path: Path) -> None:
    code, _out, err = await run_hub("migrate", env={"HUB_SYNC_INTERVAL": "often"})
    assert code == 2
    assert "HUB_SYNC_INTERVAL must be a number of seconds, not 'often'" in err


def test_cli_version_is_the_installed_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"hub {version('silk-road-hub')}"


def test_cli_help_names_every_setting_and_the_settings_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for name in setting_names():
        assert name in out
    assert "hub settings" in out


def _parsers(parser: argparse.ArgumentParser, path: str = "hub") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _parsers(child, f"{path} {name}")
    return found


COMMANDS = _parsers(build_parser())


def test_cli_help_covers_every_command() -> None:
    paths = {path for path, _ in COMMANDS}
    assert {"hub serve", "hub sync", "hub clients list", "hub settings", "hub sandbox"} <= paths


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_cli_help_of_every_command_describes_each_option_and_its_default(
    path: str, parser: argparse.ArgumentParser
) -> None:
    text = parser.format_help()
    is_group = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
    assert parser.description or is_group, f"`{path} --help` has no description"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        name = action.option_strings[-1] if action.option_strings else action.dest
        assert action.help, f"{path}: {name} has no help"
        valued = action.nargs != 0 and not action.required and action.option_strings
        if valued:
            assert "default:" in parser._get_formatter()._expand_help(action), f"{path}: {name} names no default"
    assert "(default: None)" not in text and "(default: False)" not in text


async def test_cli_help_answers_without_loading_the_application() -> None:
    """`hub --help` and `hub --version` answer at once: the command modules import the application in handlers."""
    heavy = ("sqlalchemy", "aiohttp", "alembic", "web3", "strawberry", "starlette", "authlib", "uvicorn")
    probe = f"import sys, hub.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", probe, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert out.decode().strip() == "[]"
