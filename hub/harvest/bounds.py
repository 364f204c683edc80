"""What the hub keeps of a partner's harvest, bounded before it is stored: its last error and its checkpoint."""

from __future__ import annotations

from typing import Any

from connectors.clip import clip
from connectors.errors import HarvestLimitReached, ResponseTooLarge, SourceError
from hub.core.canonical_json import canonical_json

MAX_LAST_ERROR = 2_000
"""Characters of a partner's last error (`institutions { lastSyncError }`); a longer one ends in "…"."""
MAX_CHECKPOINT_BYTES = 16 * 1024
"""Bytes of a checkpoint as canonical JSON (UTF-8); a larger one is refused with the page it covers."""

SETTING_OF_BOUND = {"max_pages": "HUB_HARVEST_MAX_PAGES", "max_seconds": "HUB_HARVEST_MAX_SECONDS"}


class CheckpointTooLarge(Exception):
    """A connector's checkpoint is larger than the hub stores: its page is not stored, the run fails."""

    def __init__(self, partner: str, size: int) -> None:
        super().__init__(
            f"{partner}: checkpoint of {size:,} bytes is larger than the limit of {MAX_CHECKPOINT_BYTES:,}; "
            "that page was not stored and the next run reads it again"
        )


def bounded_error(message: str) -> str:
    """`message` as the hub stores and shows it: at most MAX_LAST_ERROR characters."""
    return clip(message, MAX_LAST_ERROR)


def checked_checkpoint(partner: str, checkpoint: dict[str, Any]) -> dict[str, Any]:
    """`checkpoint`, refused (CheckpointTooLarge) when its canonical JSON is over MAX_CHECKPOINT_BYTES."""
    size = len(canonical_json(checkpoint).encode())
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointTooLarge(partner, size)
    return checkpoint


def source_error_message(error: SourceError) -> str:
    """The connector's message, and the setting that moves the bound when a hub limit stopped the run."""
    message = str(error)
    if isinstance(error, HarvestLimitReached) and error.bound in SETTING_OF_BOUND:
        return f"{message}; to read more per run, raise {SETTING_OF_BOUND[error.bound]}"
    if isinstance(error, ResponseTooLarge):
        return f"{message}; the limit is HUB_PARTNER_MAX_RESPONSE_BYTES"
    return message
