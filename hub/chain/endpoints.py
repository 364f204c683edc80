"""The chains the hub anchors on: the embedded chain, or JSON-RPC nodes (http(s) or ws(s)) from the settings."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import AsyncHTTPProvider, AsyncWeb3, WebSocketProvider
from web3.providers.async_base import AsyncBaseProvider

from hub.chain.bounds import ChainTimeouts
from hub.chain.embedded import EmbeddedChain, EmbeddedChainProvider
from hub.chain.names import EMBEDDED_NAME, chain_name


class ChainEndpoint:
    """One chain the hub writes to with its own account. `name` never holds credentials or URL paths."""

    def __init__(self, name: str, provider: AsyncBaseProvider, account: LocalAccount, timeouts: ChainTimeouts) -> None:
        self.name = name
        self.account = account
        self.timeouts = timeouts
        self.web3: AsyncWeb3[Any] = AsyncWeb3(provider)
        self._connect_lock = asyncio.Lock()

    async def connected(self) -> AsyncWeb3[Any]:
        """The web3 client, (re)connecting a WebSocket provider whose connection dropped."""
        provider = self.web3.provider
        if isinstance(provider, WebSocketProvider):
            async with self._connect_lock:
                if not await provider.is_connected():
                    async with asyncio.timeout(self.timeouts.request):
                        await provider.disconnect()
                        await provider.connect()
        return self.web3

    async def close(self) -> None:
        """Closes the HTTP session or the WebSocket, or the embedded chain's files."""
        provider = self.web3.provider
        if isinstance(provider, AsyncHTTPProvider | WebSocketProvider):
            await provider.disconnect()
        elif isinstance(provider, EmbeddedChainProvider):
            provider.chain.close()

    def __repr__(self) -> str:
        return f"ChainEndpoint({self.name!r}, account={self.account.address})"


def rpc_endpoint(url: str, private_key: str, timeouts: ChainTimeouts = ChainTimeouts()) -> ChainEndpoint:
    """A JSON-RPC node at `url`; the hub signs with `private_key` (hex). Nothing is sent until first use."""
    scheme = urlsplit(url).scheme
    provider: AsyncBaseProvider
    if scheme in ("http", "https"):
        provider = AsyncHTTPProvider(
            url,
            request_kwargs={"timeout": aiohttp.ClientTimeout(total=timeouts.request)},
            exception_retry_configuration=None,  # the anchor queue retries, with backoff
        )
    elif scheme in ("ws", "wss"):
        provider = WebSocketProvider(url, request_timeout=timeouts.request, max_connection_retries=1)
    else:
        raise ValueError(f"chain URL {chain_name(url)!r} is not http(s) or ws(s)")
    return ChainEndpoint(chain_name(url), provider, _account(private_key), timeouts)


def embedded_endpoint(chain: EmbeddedChain, timeouts: ChainTimeouts = ChainTimeouts()) -> ChainEndpoint:
    """The embedded chain, written with the key kept in its directory."""
    return ChainEndpoint(EMBEDDED_NAME, chain.provider(), chain.account, timeouts)


def open_endpoints(
    rpc_urls: Sequence[str],
    private_key: str | None,
    embedded_dir: Path,
    timeouts: ChainTimeouts = ChainTimeouts(),
) -> list[ChainEndpoint]:
    """The configured chains: every RPC URL, or the embedded chain in `embedded_dir` when there is none."""
    if not rpc_urls:
        return [embedded_endpoint(EmbeddedChain(embedded_dir), timeouts)]
    if private_key is None:
        raise ValueError("anchoring on JSON-RPC chains needs the hub's private key (HUB_CHAIN_PRIVATE_KEY)")
    return [rpc_endpoint(url, private_key, timeouts) for url in rpc_urls]


def _account(private_key: str) -> LocalAccount:
    try:
        account: LocalAccount = Account.from_key(private_key)
    except (ValueError, TypeError):
        # Never echo the value: it is a secret.
        raise ValueError("the chain private key must be 32 bytes in hex (64 hex digits)") from None
    return account
