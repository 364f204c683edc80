"""Checks an anchor against the chain itself: the transaction, its block, its event and the registry's storage.

A verdict says what is wrong in one sentence; a chain that cannot be reached raises ChainUnavailable instead,
since then nothing is known either way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from web3 import AsyncWeb3
from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD
from web3.types import TxReceipt

from hub.chain.anchors import Anchor, ProvenanceAnchor
from hub.chain.errors import ChainUnavailable, is_unavailable
from hub.chain.registry import is_registry, registry_contract

DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class AnchorCheck:
    """The verdict on one anchor: `problem` is None when it holds."""

    anchor: Anchor | ProvenanceAnchor
    problem: str | None

    @property
    def holds(self) -> bool:
        return self.problem is None


async def verify_anchor(
    web3: AsyncWeb3[Any],
    anchor: Anchor,
    expected_root: bytes,
    expected_size: int,
    *,
    owner: str | None = None,
    read_timeout: float = DEFAULT_TIMEOUT,
) -> AnchorCheck:
    """Whether `anchor` proves that `expected_root` over `expected_size` entries was recorded on its chain.

    Pass the hub's account as `owner`: anyone can deploy a copy of the registry and anchor any root in it; only
    the hub's own registry proves that the hub anchored it.
    """
    where = f"tx {anchor.tx_hash} on chain {anchor.chain_id}"
    if (anchor.root, anchor.tree_size) != (expected_root, expected_size):
        return AnchorCheck(
            anchor,
            f"the anchor in {where} records root 0x{anchor.root.hex()} of {anchor.tree_size} entries, "
            f"the checkpoint is root 0x{expected_root.hex()} of {expected_size}",
        )
    async with _reading(anchor, read_timeout):
        receipt, problem = await _transaction_problem(web3, anchor, owner)
        if receipt is None:
            return AnchorCheck(anchor, problem)
        contract = registry_contract(web3, anchor.contract)
        events = contract.events.CheckpointAnchored().process_receipt(receipt, errors=DISCARD)
        anchored = [(bytes(e["args"]["root"]), int(e["args"]["treeSize"])) for e in events]
        if not anchored:
            return AnchorCheck(anchor, f"{where} anchors no checkpoint in the registry {anchor.contract}")
        if expected_root not in [root for root, _ in anchored]:
            roots = ", ".join(f"0x{root.hex()}" for root, _ in anchored)
            return AnchorCheck(anchor, f"{where} anchors root {roots}, not 0x{expected_root.hex()}")
        if (expected_root, expected_size) not in anchored:
            sizes = ", ".join(str(size) for root, size in anchored if root == expected_root)
            return AnchorCheck(
                anchor, f"{where} anchors root 0x{expected_root.hex()} of {sizes} entries, not {expected_size}"
            )
        tree_size, block_number, _ = await contract.functions.checkpoint(expected_root).call()
        if (tree_size, block_number) != (expected_size, anchor.block_number):
            return AnchorCheck(
                anchor,
                f"the registry {anchor.contract} on chain {anchor.chain_id} holds root 0x{expected_root.hex()} "
                f"of {tree_size} entries from block {block_number}, "
                f"not {expected_size} from block {anchor.block_number}",
            )
    return AnchorCheck(anchor, None)


async def verify_provenance(
    web3: AsyncWeb3[Any],
    anchor: ProvenanceAnchor,
    item_hash: bytes,
    record_hash: bytes,
    *,
    owner: str | None = None,
    read_timeout: float = DEFAULT_TIMEOUT,
) -> AnchorCheck:
    """Whether `anchor` proves that `record_hash` was registered for `item_hash` on its chain."""
    where = f"tx {anchor.tx_hash} on chain {anchor.chain_id}"
    async with _reading(anchor, read_timeout):
        receipt, problem = await _transaction_problem(web3, anchor, owner)
        if receipt is None:
            return AnchorCheck(anchor, problem)
        contract = registry_contract(web3, anchor.contract)
        events = contract.events.ProvenanceRegistered().process_receipt(receipt, errors=DISCARD)
        registered = [(bytes(e["args"]["itemHash"]), bytes(e["args"]["recordHash"])) for e in events]
        if (item_hash, record_hash) not in registered:
            shown = ", ".join(f"0x{record.hex()} for item 0x{item.hex()}" for item, record in registered) or "nothing"
            return AnchorCheck(
                anchor, f"{where} registers {shown}, not 0x{record_hash.hex()} for item 0x{item_hash.hex()}"
            )
        block_number = await contract.functions.provenance(item_hash, record_hash).call()
        if block_number != anchor.block_number:
            return AnchorCheck(
                anchor,
                f"the registry {anchor.contract} holds the record from block {block_number}, not {anchor.block_number}",
            )
    return AnchorCheck(anchor, None)


async def _transaction_problem(
    web3: AsyncWeb3[Any], anchor: Anchor | ProvenanceAnchor, owner: str | None
) -> tuple[TxReceipt | None, str | None]:
    """The anchor's receipt when its transaction succeeded in the anchor's block, in the registry; else the problem."""
    where = f"tx {anchor.tx_hash} on chain {anchor.chain_id}"
    chain_id = await web3.eth.chain_id
    if chain_id != anchor.chain_id:
        return None, f"the anchor is on chain {anchor.chain_id}, this node serves chain {chain_id}"
    try:
        receipt = await web3.eth.get_transaction_receipt(anchor.tx_hash)  # type: ignore[arg-type]
    except TransactionNotFound:
        return None, f"{where} does not exist"
    if receipt["status"] != 1:
        return None, f"{where} failed"
    if receipt["blockNumber"] != anchor.block_number:
        return None, f"{where} is in block {receipt['blockNumber']}, not {anchor.block_number}"
    block = await web3.eth.get_block(anchor.block_number)
    if block["hash"] != receipt["blockHash"]:
        return None, f"block {anchor.block_number} on chain {anchor.chain_id} no longer holds {anchor.tx_hash}"
    if (receipt["to"] or "").lower() != anchor.contract.lower():
        return None, f"{where} was sent to {receipt['to']}, not to the registry {anchor.contract}"
    if not await is_registry(web3, anchor.contract):
        return None, f"{anchor.contract} on chain {anchor.chain_id} does not hold the audit registry's code"
    if owner is not None:
        actual = await registry_contract(web3, anchor.contract).functions.owner().call()
        if actual.lower() != owner.lower():
            return None, f"the registry {anchor.contract} on chain {anchor.chain_id} belongs to {actual}, not {owner}"
    return receipt, None


@contextlib.asynccontextmanager
async def _reading(anchor: Anchor | ProvenanceAnchor, seconds: float) -> AsyncIterator[None]:
    """Bounds the reads in time; a chain that does not answer raises ChainUnavailable."""
    try:
        async with asyncio.timeout(seconds):
            yield
    except Exception as error:
        if is_unavailable(error):
            raise ChainUnavailable(
                f"chain {anchor.chain_id} did not answer while verifying tx {anchor.tx_hash}: {error or 'timed out'}"
            ) from error
        raise
