"""Stored anchors checked against the chain: from another process after the hub stopped (the embedded chain read
from disk), a forged anchor named with its exact checkpoint, a chain that is down reported as unchecked."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import update

from hub.app import Hub
from hub.chain.anchor_checks import verify_stored_anchors
from hub.chain.anchoring import open_chain_endpoints
from hub.chain.models import ChainAnchorRow
from hub.cli import main
from tests.hub.chain.anvil import ANVIL_KEYS
from tests.hub.chain.conftest import TEST_TIMEOUTS
from tests.hub.chain.hub_anchoring import anchor_on, anchor_worker, anchors_of, checkpoint, eventually, push
from tests.hub.cli.support import run_hub


def hub_env(hub: Hub) -> dict[str, str]:
    return {"HUB_DATABASE_URL": hub.settings.database_url, "HUB_VAR_DIR": str(hub.settings.var_dir)}


async def verify_elsewhere(hub: Hub) -> tuple[int, dict[str, Any]]:
    """`hub audit verify --json` in a new process that reads the database and the embedded chain from disk."""
    status, out, _ = await run_hub("audit", "verify", "--json", env=hub_env(hub))
    report: dict[str, Any] = json.loads(out)
    return status, report


async def verify_here(hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`hub audit verify` as the operator runs it, in this process (the CLI runs its own event loop)."""
    for name, value in hub_env(hub).items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    status = await asyncio.to_thread(main, ["audit", "verify"])
    return status, capsys.readouterr().out.strip()


async def anchored_checkpoints(hub: Hub, count: int) -> list[tuple[int, str]]:
    """`count` checkpoints anchored on the embedded chain by the worker, which is stopped afterwards."""
    made = []
    async with anchor_worker(hub):
        for n in range(count):
            await push(hub, f"NLC-V{n}")
            made.append(await checkpoint(hub))
        for each in made:

            async def anchored(size: int = each.tree_size) -> bool:
                return "embedded" in await anchors_of(hub, size)

            await eventually(anchored)
    return [(each.tree_size, each.root_hash) for each in made]


async def test_anchors_survive_the_hub_and_hold_when_hub_audit_verify_checks_them_from_another_process(
    hub: Hub,
) -> None:
    anchor_on(hub, ("embedded",))
    (_, _), (last, _) = await anchored_checkpoints(hub, 2)
    status, report = await verify_elsewhere(hub)
    assert (status, report["ok"], report["entries"], report["checkpoints"]) == (0, True, last, 2)
    assert report["anchors"] == {"anchors": 2, "bad_checkpoint": None, "problem": None, "unchecked": []}


async def test_anchor_pointing_at_the_transaction_of_another_root_is_caught_with_its_checkpoint(
    hub: Hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    anchor_on(hub, ("embedded",))
    (first, first_root), (second, second_root) = await anchored_checkpoints(hub, 2)
    other = (await anchors_of(hub, second))["embedded"]
    async with hub.sessions.begin() as session:
        await session.execute(
            update(ChainAnchorRow)
            .where(ChainAnchorRow.checkpoint_size == first)
            .values(tx_hash=other.tx_hash, block_number=other.block_number)
        )
    status, sentence = await verify_here(hub, monkeypatch, capsys)
    problem = f"tx {other.tx_hash} on chain {other.chain_id} anchors root 0x{second_root}, not 0x{first_root}"
    assert (status, sentence) == (1, f"audit log: FAILED at the anchor of checkpoint {first}: {problem}")


async def test_anchors_on_a_chain_that_is_down_are_unchecked_not_forged(hub: Hub) -> None:
    anchor_on(hub, ("embedded",))
    await anchored_checkpoints(hub, 1)
    anchor_on(hub, ("http://127.0.0.1:9",), ANVIL_KEYS[0])
    endpoints = open_chain_endpoints(hub.settings, TEST_TIMEOUTS)
    async with hub.sessions() as session:
        report = await verify_stored_anchors(session, endpoints)
    for endpoint in endpoints:
        await endpoint.close()
    assert report.ok and report.checked == 0
    assert set(report.unchecked) == {"http://127.0.0.1:9", "embedded"}
    assert "127.0.0.1:9" in report.unchecked["http://127.0.0.1:9"]
