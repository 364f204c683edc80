"""Network failures reach the operator in words, with the partner and the URL, never as an exception's repr."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from connectors.errors import RetriableSourceError
from connectors.http import PartnerHttp, RetryPolicy

ONCE = RetryPolicy(attempts=1, timeout=5)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
async def hanging_up_port() -> AsyncIterator[int]:
    """A server that reads the request and closes the connection without a word."""

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()


async def test_network_error_connection_refused_in_words(session: aiohttp.ClientSession) -> None:
    port = closed_port()
    with pytest.raises(RetriableSourceError) as failed:
        await PartnerHttp("CRECC", session, ONCE).get(f"http://harvester:s3cret@127.0.0.1:{port}/relics")
    assert str(failed.value) == (
        f"CRECC: gave up after 1 attempts: connection refused by 127.0.0.1:{port} "
        f"(is the partner's server running?) (at http://127.0.0.1:{port}/relics)"
    )


async def test_network_error_server_hanging_up_in_words(session: aiohttp.ClientSession, hanging_up_port: int) -> None:
    with pytest.raises(RetriableSourceError) as failed:
        await PartnerHttp("NLC", session, ONCE).get(f"http://127.0.0.1:{hanging_up_port}/oai")
    assert failed.value.problem == "gave up after 1 attempts: the server closed the connection before answering"
    assert "Error(" not in str(failed.value)
