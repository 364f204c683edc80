"""Error codes of harvesting, beside the common ones (`hub.core.user_errors.CommonErrorCode`)."""

from __future__ import annotations

import enum


class HarvestErrorCode(enum.Enum):
    """Clients may branch on these: add new ones, never rename."""

    NOT_HARVESTED = "NOT_HARVESTED"
    SYNC_FAILED = "SYNC_FAILED"


class UnknownPartnerError(LookupError):
    """No harvested partner has this code."""


class PartnerUrlMissingError(LookupError):
    """A harvested partner has no URL: neither configured nor a sandbox started for it."""
