from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The HTTP client session a connector under test reads through."""
    async with aiohttp.ClientSession() as client_session:
        yield client_session
