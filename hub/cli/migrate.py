"""`hub migrate`: alembic upgrade head on the configured database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub.settings import Settings

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def add_parser(commands: Any) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="alembic upgrade head on the configured database",
        description="Brings the database at HUB_DATABASE_URL to the newest schema (alembic upgrade head). "
        "The other commands do it quietly first; run it alone to see what it does.",
    )
    migrate.set_defaults(migrate_first=False, handler=migrate_command)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    if not ALEMBIC_INI.exists():
        raise FileNotFoundError(f"alembic.ini not found at {ALEMBIC_INI}; install the hub from its source tree")
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Runs alembic in this thread; it starts its own event loop, so call it outside a running one."""
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def migrate_command(_args: argparse.Namespace, settings: Settings) -> int:
    upgrade_database(settings.database_url)
    return 0
