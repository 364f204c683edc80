"""What can go wrong while reading a partner, and whether trying again can help."""

from __future__ import annotations

from typing import Any

from yarl import URL

from connectors.clip import clip

MAX_PROBLEM_LENGTH = 1000
"""Characters of a problem description: it may quote partner text, and it is stored as the last error."""
MAX_URL_LENGTH = 500


def redact(url: str) -> str:
    """`url` without credentials, so error messages and logs never carry a partner's password."""
    try:
        parsed = URL(url)
    except (TypeError, ValueError):
        return url
    if parsed.user is None and parsed.password is None:
        return url
    return str(parsed.with_user(None))


class SourceError(Exception):
    """A partner could not be read. The message names the partner, the URL and the problem."""

    def __init__(self, partner: str, url: str, problem: str, status: int | None = None) -> None:
        self.partner = partner
        self.url = clip(redact(url), MAX_URL_LENGTH)
        self.problem = clip(problem, MAX_PROBLEM_LENGTH)
        self.status = status
        """The HTTP status of the partner's answer, when the problem is an HTTP error status."""
        super().__init__(f"{partner}: {self.problem} (at {self.url})")


class FatalSourceError(SourceError):
    """Retrying will not help: a 4xx answer, a malformed payload, a protocol error."""


class RetriableSourceError(SourceError):
    """A 429, a 5xx, a timeout or a network error: worth another try after a pause."""


class ExpiredPageToken(FatalSourceError):
    """The partner no longer knows a page token; the harvest restarts from its cursor."""


class LimitExceeded(FatalSourceError):
    """The partner sent more than a bound allows (a response, a page, a token); the message names the bound."""


class ResponseTooLarge(LimitExceeded):
    """A response went past the maximum size; reading stopped there."""


class HarvestLimitReached(SourceError):
    """The run used its pages or its time. `checkpoint` is the one reached so far: the next run resumes there.

    `bound` names the limit reached: "max_pages" or "max_seconds" (a field of ConnectorLimits).
    """

    def __init__(self, partner: str, url: str, problem: str, checkpoint: dict[str, Any], bound: str) -> None:
        super().__init__(partner, url, problem)
        self.checkpoint = checkpoint
        self.bound = bound
