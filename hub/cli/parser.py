"""The command line's parser: every command and option says what it does and what it defaults to."""

from __future__ import annotations

import argparse
import textwrap
from importlib.metadata import PackageNotFoundError, version
from typing import Any

DISTRIBUTION = "silk-road-hub"


class HubHelpFormatter(argparse.HelpFormatter):
    """Appends "(default: X)" to an option's help when it has a default worth saying and does not say it itself.

    Options without a value (flags) and options whose default is "not given" say what they do instead.
    Descriptions and epilogs are wrapped by paragraph; lines starting with spaces are kept as they are.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs: list[str] = []
        for line in text.splitlines():
            kept = line.startswith(" ") or not line.strip()
            paragraphs.append(indent + line if kept else textwrap.fill(line, width, initial_indent=indent))
        return "\n".join(paragraphs)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        silent = default is None or default is False or default == [] or default is argparse.SUPPRESS
        if "%(default)" in text or "default:" in text or silent or isinstance(action, argparse._VersionAction):
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return f"{text} (default: %(default)s)"
        return text


class HubArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands inherit its help formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HubHelpFormatter)
        super().__init__(*args, **kwargs)


def hub_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON list instead of a table")
