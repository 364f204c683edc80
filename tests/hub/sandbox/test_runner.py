"""Sandbox partners on fixed ports: the same address at every start, shared with a hub that runs them already."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from hub.sandbox.runner import SandboxPortError, start_sandboxes
from tests.support import free_ports


async def test_sandbox_ports_are_fixed_per_partner_whichever_are_started() -> None:
    first = free_ports(3)
    running = await start_sandboxes(["TWMM", "NLC"], port=first)
    try:
        assert running.urls == {"TWMM": f"http://127.0.0.1:{first + 2}", "NLC": f"http://127.0.0.1:{first}"}
    finally:
        await running.close()
    again = await start_sandboxes(["TWMM"], port=first)
    try:
        assert again.urls == {"TWMM": f"http://127.0.0.1:{first + 2}"}
        async with aiohttp.ClientSession() as http, http.get(f"{again.urls['TWMM']}/activity/all-changes") as answer:
            assert answer.status == 200
    finally:
        await again.close()


async def test_sandbox_already_running_on_its_port_is_reused() -> None:
    first = free_ports(3)
    serving = await start_sandboxes(["CRECC"], port=first)
    try:
        second = await start_sandboxes(["CRECC"], port=first, reuse=True)
        assert second.urls == {"CRECC": f"http://127.0.0.1:{first + 1}"}
        assert second.reused == second.urls and second.servers == {}
        await second.close()  # closes nothing of the first
        async with aiohttp.ClientSession() as http, http.get(f"{serving.urls['CRECC']}/relics") as answer:
            assert answer.status == 200
    finally:
        await serving.close()


async def test_sandbox_port_taken_by_another_program_is_an_error_naming_port_and_setting() -> None:
    first = free_ports(3)
    with socket.socket() as other:
        other.bind(("127.0.0.1", first + 1))
        other.listen()
        with pytest.raises(SandboxPortError) as refused:
            await start_sandboxes(["NLC", "CRECC"], port=first, reuse=True)
    message = str(refused.value)
    assert f"CRECC sandbox at http://127.0.0.1:{first + 1}" in message
    assert "HUB_SANDBOX_PORT" in message and "HUB_PARTNER_CRECC_URL" in message
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", first))  # NLC's server, started before the refusal, was closed


async def test_sandbox_another_partners_sandbox_on_the_port_is_not_reused() -> None:
    first = free_ports(4)
    serving = await start_sandboxes(["NLC"], port=first + 1)  # NLC where CRECC's port is for `first`
    try:
        with pytest.raises(SandboxPortError, match="CRECC"):
            await start_sandboxes(["CRECC"], port=first, reuse=True)
    finally:
        await serving.close()
