"""Anchoring latency: one checkpoint root anchored and its receipt received, on the embedded chain and on anvil.

    python bench/anchor_latency.py                 # 40 anchors a chain
    python bench/anchor_latency.py --count 100

Each sample is one `AuditRegistry.anchor_checkpoint` call: the registry read that makes a retry idempotent, gas
estimate, fees, nonce, signing, sending, waiting for the receipt. Baseline, in the same run and interleaved with
the anchors (so both see the same machine load): a plain ETH transfer from the same account on the same chain,
sent the same way (nonce, gas estimate, fees, signing, sending, receipt). The ratio is anchor / transfer, of the
medians. anvil (npm package @foundry-rs/anvil in .npm-tools/, see .ci/run) runs on a loopback port; without it
only the embedded chain is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eth_account import Account  # noqa: E402

from hub.chain import (  # noqa: E402
    AuditRegistry,
    ChainEndpoint,
    Checkpoint,
    EmbeddedChain,
    MemoryDeployments,
    embedded_endpoint,
    rpc_endpoint,
)
from tests.hub.chain.anvil import ANVIL_KEYS, AnvilNode, anvil_binary  # noqa: E402

LOG_ID = hashlib.sha256(b"bench audit log").digest()
RECIPIENT = Account.create().address


async def transfer(endpoint: ChainEndpoint, chain_id: int) -> None:
    web3 = endpoint.web3
    sender = endpoint.account.address
    nonce = await web3.eth.get_transaction_count(sender, "pending")
    transaction = {"from": sender, "to": RECIPIENT, "value": 1, "nonce": nonce, "chainId": chain_id}
    transaction["gas"] = await web3.eth.estimate_gas(transaction)  # type: ignore[arg-type]
    priority = await web3.eth.max_priority_fee
    base_fee = (await web3.eth.get_block("latest"))["baseFeePerGas"]
    transaction |= {"maxPriorityFeePerGas": priority, "maxFeePerGas": 2 * base_fee + priority}
    signed = endpoint.account.sign_transaction(transaction)
    tx_hash = await web3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = await web3.eth.wait_for_transaction_receipt(tx_hash, timeout=60, poll_latency=0.05)
    assert receipt["status"] == 1


async def timed(action: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await action()
    return time.perf_counter() - started


async def measure(endpoint: ChainEndpoint, count: int) -> tuple[list[float], list[float]]:
    registry = await AuditRegistry.open(endpoint, MemoryDeployments())
    await transfer(endpoint, registry.chain_id)  # warm both paths
    await registry.anchor_checkpoint(Checkpoint(hashlib.sha256(b"warm-up").digest(), 1, LOG_ID))
    anchors: list[float] = []
    transfers: list[float] = []
    for size in range(1, count + 1):
        checkpoint = Checkpoint(hashlib.sha256(f"root {size} {time.time()}".encode()).digest(), size, LOG_ID)
        anchors.append(await timed(lambda checkpoint=checkpoint: registry.anchor_checkpoint(checkpoint)))
        transfers.append(await timed(lambda: transfer(endpoint, registry.chain_id)))
    return anchors, transfers


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def row(chain: str, anchors: list[float], transfers: list[float]) -> str:
    ratio = statistics.median(anchors) / statistics.median(transfers)
    return (
        f"| {chain} | {statistics.median(anchors) * 1000:.1f} | {p95(anchors) * 1000:.1f} "
        f"| {statistics.median(transfers) * 1000:.1f} | {p95(transfers) * 1000:.1f} | {ratio:.2f} |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40, help="anchors (and transfers) a chain")
    args = parser.parse_args()
    print(f"{args.count} samples a chain; latency in ms")
    print("| chain | anchor median | anchor p95 | transfer median | transfer p95 | anchor / transfer |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        chain = EmbeddedChain(Path(scratch) / "chain")
        print(row("embedded (py-evm on SQLite)", *await measure(embedded_endpoint(chain), args.count)), flush=True)
        chain.close()
        binary = anvil_binary()
        if binary is None:
            print("anvil is not installed (npm install --prefix .npm-tools @foundry-rs/anvil): not measured")
            return
        node = AnvilNode(binary, Path(scratch) / "anvil-state.json")
        node.start()
        endpoint = rpc_endpoint(node.url, ANVIL_KEYS[0])
        try:
            print(row("anvil (JSON-RPC over HTTP)", *await measure(endpoint, args.count)))
        finally:
            await endpoint.close()
            node.stop()


if __name__ == "__main__":
    asyncio.run(main())
