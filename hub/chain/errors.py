"""The two ways a write to a chain fails: the chain cannot be reached, or it refused the write."""

from __future__ import annotations

import aiohttp
from web3.exceptions import ProviderConnectionError, TimeExhausted
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from hub.chain.embedded import EmbeddedChainBusy


class ChainError(RuntimeError):
    """A chain operation failed; the message names the chain and what went wrong."""


class ChainUnavailable(ChainError):
    """The chain did not answer in time, or at all: retry later."""


class ChainRejected(ChainError):
    """The chain answered and refused (a revert, a bad nonce, no funds, no registry): retrying may not help."""


_UNAVAILABLE = (
    TimeoutError,
    ConnectionError,
    OSError,
    aiohttp.ClientConnectionError,
    aiohttp.ServerTimeoutError,
    ProviderConnectionError,
    TimeExhausted,
    ConnectionClosed,
    InvalidHandshake,
    EmbeddedChainBusy,
)


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says the chain could not be reached (rather than that it refused)."""
    if isinstance(error, ChainRejected):
        return False
    if isinstance(error, aiohttp.ClientResponseError):
        # A gateway or node that is overloaded or restarting answers 429 or 5xx: it is not refusing the write.
        return error.status == 429 or error.status >= 500
    return isinstance(error, (ChainUnavailable, *_UNAVAILABLE))
