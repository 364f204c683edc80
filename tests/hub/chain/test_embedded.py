"""The embedded chain keeps its state on disk: another process, or a later one, sees the same anchors."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from eth_account import Account

from hub.chain import (
    AuditRegistry,
    Checkpoint,
    EmbeddedChain,
    EmbeddedChainError,
    JsonFileDeployments,
    MemoryDeployments,
    embedded_endpoint,
    verify_anchor,
)
from tests.hub.chain.chain_process import anchor_from_json, anchor_to_json
from tests.hub.chain.conftest import make_checkpoint

ROOT = Path(__file__).resolve().parents[3]


def run_process(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.hub.chain.chain_process", *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def output_of(process: subprocess.Popen[str]) -> object:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return json.loads(stdout)


async def test_embedded_chain_anchor_is_verified_from_another_process(
    tmp_path: Path, checkpoint: Callable[..., Checkpoint]
) -> None:
    directory = tmp_path / "chain"
    chain = EmbeddedChain(directory)
    registry = await AuditRegistry.open(embedded_endpoint(chain), MemoryDeployments())
    anchor = await registry.anchor_checkpoint(checkpoint(12))
    chain.close()

    forged = anchor_to_json(anchor) | {"root": checkpoint(13).root.hex()}
    documents = [anchor_to_json(anchor), forged]

    verdicts = output_of(run_process("verify", str(directory), json.dumps(documents)))

    assert verdicts == [
        {"holds": True, "problem": None},
        {
            "holds": False,
            "problem": f"tx {anchor.tx_hash} on chain {anchor.chain_id} anchors root 0x{anchor.root.hex()}, "
            f"not 0x{checkpoint(13).root.hex()}",
        },
    ]


async def test_embedded_chain_reopened_keeps_its_key_contract_and_anchors(
    tmp_path: Path, checkpoint: Callable[..., Checkpoint]
) -> None:
    directory = tmp_path / "chain"
    deployments = JsonFileDeployments(tmp_path / "deployments.json")
    first = EmbeddedChain(directory)
    registry = await AuditRegistry.open(embedded_endpoint(first), deployments)
    anchor = await registry.anchor_checkpoint(checkpoint(2))
    first.close()

    again = EmbeddedChain(directory)
    endpoint = embedded_endpoint(again)
    reopened = await AuditRegistry.open(endpoint, deployments)

    assert again.account.address == first.account.address
    assert reopened.deployment == registry.deployment
    assert await reopened.anchored(anchor.root) == (2, anchor.block_number, checkpoint(2).log_id)
    assert (await verify_anchor(endpoint.web3, anchor, anchor.root, 2)).holds
    later = await reopened.anchor_checkpoint(checkpoint(3))
    assert later.block_number > anchor.block_number
    key_file = directory / "hub-account.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Account.from_key(key_file.read_text().strip()).address == again.account.address
    again.close()


async def test_embedded_chain_written_by_two_processes_at_once_stays_one_chain(tmp_path: Path) -> None:
    directory = tmp_path / "chain"
    EmbeddedChain(directory).close()  # genesis first, so both processes share one registry deployment below
    first = EmbeddedChain(directory)
    await AuditRegistry.open(embedded_endpoint(first), JsonFileDeployments(tmp_path / "deployments.json"))
    first.close()

    writers = [run_process("anchor", str(directory), label, "5", "2") for label in ("a", "b")]
    written = [anchor_from_json(document) for writer in writers for document in output_of(writer)]  # type: ignore[attr-defined]

    chain = EmbeddedChain(directory)
    endpoint = embedded_endpoint(chain)
    checks = await asyncio.gather(*(verify_anchor(endpoint.web3, a, a.root, a.tree_size) for a in written))
    assert [check.problem for check in checks] == [None] * 10
    assert len({anchor.block_number for anchor in written}) == 10
    head = await endpoint.web3.eth.get_block("latest")
    for number in range(head["number"], 0, -1):
        block = await endpoint.web3.eth.get_block(number)
        parent = await endpoint.web3.eth.get_block(number - 1)
        assert block["parentHash"] == parent["hash"], f"block {number} does not follow block {number - 1}"
    expected = {make_checkpoint(size, label).root for label in ("a", "b") for size in range(1, 6)}
    assert {anchor.root for anchor in written} == expected
    chain.close()


def test_embedded_chain_whose_key_file_is_gone_refuses_to_open_naming_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "chain"
    EmbeddedChain(directory).close()
    (directory / "hub-account.key").unlink()

    with pytest.raises(EmbeddedChainError, match=re.escape(f"{directory / 'hub-account.key'} is missing")):
        EmbeddedChain(directory)
    assert not (directory / "hub-account.key").exists()
