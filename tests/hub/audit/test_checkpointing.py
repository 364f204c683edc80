"""The serving hub's checkpoints: after N entries, or T seconds after the oldest entry no checkpoint covers."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from hub.app import Hub
from hub.audit.checkpoints import latest_checkpoint
from hub.audit.log import append_entry


async def append(hub: Hub, count: int) -> None:
    for n in range(count):
        async with hub.sessions.begin() as session:
            await append_entry(session, "nlc-app", "catalogue.items_upserted", f"item:{n}", ["CN"], {"n": n})


async def test_checkpoint_is_due_after_the_configured_number_of_entries(hub: Hub) -> None:
    checkpoints = replace(hub.checkpoints, every_entries=3, every_seconds=3600)
    assert not await checkpoints.due()
    await append(hub, 2)
    assert not await checkpoints.due()
    await append(hub, 1)
    assert await checkpoints.due()
    assert (made := await checkpoints.checkpoint_now()) is not None and made.tree_size == 3
    assert not await checkpoints.due()


async def test_checkpoint_is_due_once_an_uncovered_entry_is_old_enough(hub: Hub) -> None:
    checkpoints = replace(hub.checkpoints, every_entries=1000, every_seconds=0.2)
    await append(hub, 1)
    assert not await checkpoints.due()
    await asyncio.sleep(0.25)
    assert await checkpoints.due()


async def test_checkpoint_task_makes_them_in_the_background_with_its_hooks(hub: Hub) -> None:
    seen: list[int] = []

    async def hook(_session: object, checkpoint: object) -> None:
        seen.append(checkpoint.tree_size)  # type: ignore[attr-defined]

    checkpoints = replace(hub.checkpoints, every_entries=2, every_seconds=3600, hooks=[hook])
    task = asyncio.create_task(checkpoints.run_forever())
    try:
        await append(hub, 2)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    async with hub.sessions() as session:
        latest = await latest_checkpoint(session)
    assert latest is not None and seen == [latest.tree_size] and latest.tree_size == 2
