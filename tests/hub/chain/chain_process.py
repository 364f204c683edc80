"""Test support: another process using an embedded chain directory.

python -m tests.hub.chain.chain_process verify DIR ANCHOR_JSON   # prints {"holds": ..., "problem": ...}
python -m tests.hub.chain.chain_process anchor DIR LABEL COUNT   # anchors COUNT checkpoints, prints anchors
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hub.chain import (
    Anchor,
    AuditRegistry,
    ChainRejected,
    EmbeddedChain,
    JsonFileDeployments,
    embedded_endpoint,
    verify_anchor,
)
from tests.hub.chain.conftest import make_checkpoint


def anchor_to_json(anchor: Anchor) -> dict[str, Any]:
    return {**asdict(anchor), "root": anchor.root.hex()}


def anchor_from_json(document: dict[str, Any]) -> Anchor:
    return Anchor(**{**document, "root": bytes.fromhex(document["root"])})


async def verify(directory: Path, documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chain = EmbeddedChain(directory)
    web3 = embedded_endpoint(chain).web3
    verdicts = []
    for anchor in map(anchor_from_json, documents):
        check = await verify_anchor(web3, anchor, anchor.root, anchor.tree_size)
        verdicts.append({"holds": check.holds, "problem": check.problem})
    chain.close()
    return verdicts


async def anchor(directory: Path, label: str, count: int, peers: int) -> list[dict[str, Any]]:
    chain = EmbeddedChain(directory)
    endpoint = embedded_endpoint(chain)
    registry = await AuditRegistry.open(endpoint, JsonFileDeployments(directory.parent / "deployments.json"))
    (directory.parent / f"ready-{label}").touch()
    deadline = time.monotonic() + 60
    while len(list(directory.parent.glob("ready-*"))) < peers and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    anchors = []
    for size in range(1, count + 1):
        for _ in range(20):  # another process may take the nonce first: try again, as the anchor queue would
            try:
                anchors.append(anchor_to_json(await registry.anchor_checkpoint(make_checkpoint(size, label))))
                break
            except ChainRejected:
                await asyncio.sleep(0.02)
        else:
            raise RuntimeError(f"could not anchor checkpoint {label}{size}")
    chain.close()
    return anchors


def main() -> None:
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "verify":
        print(json.dumps(asyncio.run(verify(directory, json.loads(sys.argv[3])))))
    else:
        print(json.dumps(asyncio.run(anchor(directory, sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))))


if __name__ == "__main__":
    main()
