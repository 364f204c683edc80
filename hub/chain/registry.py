"""The audit registry contract on one chain: deployed where missing, written only with the hub's account."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address
from web3 import AsyncWeb3
from web3.contract import AsyncContract
from web3.contract.async_contract import AsyncContractConstructor, AsyncContractFunction
from web3.exceptions import ContractLogicError
from web3.types import TxReceipt

from hub.chain.anchors import (
    Anchor,
    ChainWrite,
    Checkpoint,
    Deployment,
    ProvenanceAnchor,
    ProvenanceRecord,
    Subject,
    describe_subject,
)
from hub.chain.artifact import registry_artifact
from hub.chain.deployments import ChainDeployments
from hub.chain.endpoints import ChainEndpoint
from hub.chain.errors import ChainError, ChainRejected, ChainUnavailable, is_unavailable

# Headroom over the node's gas estimate, in case the state moves between estimating and mining.
GAS_MARGIN_PERCENT = 20


class AuditRegistry:
    """The registry on `endpoint`'s chain; build it with `AuditRegistry.open`.

    Every write first reads whether the registry already holds it: a retry after an answer that was lost (a
    timeout after sending, a crash) finds the earlier transaction instead of failing on the contract's refusal.
    """

    def __init__(self, endpoint: ChainEndpoint, deployment: Deployment) -> None:
        self.endpoint = endpoint
        self.deployment = deployment
        self.chain_id = deployment.chain_id
        self.contract = registry_contract(endpoint.web3, deployment.contract)

    @classmethod
    async def open(cls, endpoint: ChainEndpoint, deployments: ChainDeployments) -> AuditRegistry:
        """The registry known for this chain when its code is there and the hub owns it; else a new one."""
        async with chain_operation(endpoint, "reading the chain id"):
            chain_id = await (await endpoint.connected()).eth.chain_id
        known = await deployments.get(chain_id)
        async with chain_operation(endpoint, "opening the audit registry"):
            web3 = await endpoint.connected()
            if known is not None and await is_registry(web3, known.contract, endpoint.account.address):
                return cls(endpoint, known)
            receipt = await transact(endpoint, chain_id, registry_factory(web3).constructor())
            address = receipt["contractAddress"]
            if address is None:
                raise ChainRejected(f"deploying the audit registry on chain {chain_id} created no contract")
            deployment = Deployment(chain_id, address, receipt["transactionHash"].to_0x_hex(), receipt["blockNumber"])
        await deployments.put(deployment)
        return cls(endpoint, deployment)

    async def write(self, subject: Subject) -> ChainWrite:
        if isinstance(subject, Checkpoint):
            return await self.anchor_checkpoint(subject)
        return await self.register_provenance(subject)

    async def anchor_checkpoint(self, checkpoint: Checkpoint) -> Anchor:
        """Records the checkpoint's root (once: the same root again returns the first anchor)."""
        async with chain_operation(self.endpoint, f"anchoring {describe_subject(checkpoint)}"):
            await self.endpoint.connected()
            tree_size, block_number, _ = await self.anchored(checkpoint.root)
            if block_number:
                if tree_size != checkpoint.tree_size:
                    raise ChainRejected(
                        f"root 0x{checkpoint.root.hex()} is anchored on chain {self.chain_id} with tree size "
                        f"{tree_size}, not {checkpoint.tree_size}"
                    )
                tx_hash = await self._transaction_of("CheckpointAnchored", block_number, {"root": checkpoint.root})
            else:
                call = self.contract.functions.anchorCheckpoint(
                    checkpoint.root, checkpoint.tree_size, checkpoint.log_id
                )
                receipt = await transact(self.endpoint, self.chain_id, call)
                tx_hash, block_number = receipt["transactionHash"].to_0x_hex(), receipt["blockNumber"]
        contract = self.deployment.contract
        return Anchor(self.chain_id, contract, tx_hash, block_number, checkpoint.root, checkpoint.tree_size)

    async def register_provenance(self, record: ProvenanceRecord) -> ProvenanceAnchor:
        """Registers a provenance record's hash for its item (once: the same record again returns the first)."""
        async with chain_operation(self.endpoint, f"registering {describe_subject(record)}"):
            await self.endpoint.connected()
            block_number = await self.registered(record)
            if block_number:
                tx_hash = await self._transaction_of(
                    "ProvenanceRegistered",
                    block_number,
                    {"itemHash": record.item_hash, "recordHash": record.record_hash},
                )
            else:
                call = self.contract.functions.registerProvenance(record.item_hash, record.record_hash)
                receipt = await transact(self.endpoint, self.chain_id, call)
                tx_hash, block_number = receipt["transactionHash"].to_0x_hex(), receipt["blockNumber"]
        contract = self.deployment.contract
        return ProvenanceAnchor(self.chain_id, contract, tx_hash, block_number, record.item_hash, record.record_hash)

    async def anchored(self, root: bytes) -> tuple[int, int, bytes]:
        """(tree size, block number, log id) the registry holds for `root`; all zero when never anchored."""
        tree_size, block_number, log_id = await self.contract.functions.checkpoint(root).call()
        return int(tree_size), int(block_number), bytes(log_id)

    async def registered(self, record: ProvenanceRecord) -> int:
        """The block that registered `record`; zero when it never was."""
        return int(await self.contract.functions.provenance(record.item_hash, record.record_hash).call())

    async def _transaction_of(self, event: str, block_number: int, arguments: dict[str, bytes]) -> str:
        """The transaction in `block_number` that emitted `event` with these indexed arguments."""
        logs = await self.contract.events[event]().get_logs(
            from_block=block_number, to_block=block_number, argument_filters=arguments
        )
        if not logs:
            raise ChainRejected(f"block {block_number} on chain {self.chain_id} holds no {event} event for it")
        return str(logs[0]["transactionHash"].to_0x_hex())


def registry_factory(web3: AsyncWeb3[Any]) -> type[AsyncContract]:
    artifact = registry_artifact()
    return web3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)


def registry_contract(web3: AsyncWeb3[Any], address: str) -> AsyncContract:
    return web3.eth.contract(address=web3.to_checksum_address(address), abi=registry_artifact().abi)


async def is_registry(web3: AsyncWeb3[Any], address: str, owner: str | None = None) -> bool:
    """Whether `address` holds this hub's registry code (and, when `owner` is given, belongs to it)."""
    code = await web3.eth.get_code(web3.to_checksum_address(address))
    if bytes(code) != registry_artifact().deployed_bytecode:
        return False
    if owner is None:
        return True
    return bool(await registry_contract(web3, address).functions.owner().call() == owner)


async def transact(
    endpoint: ChainEndpoint, chain_id: int, call: AsyncContractFunction | AsyncContractConstructor
) -> TxReceipt:
    """Signs `call` with the hub's account, sends it and waits (bounded) for a successful receipt."""
    web3 = endpoint.web3
    sender = endpoint.account.address
    nonce = await web3.eth.get_transaction_count(sender, "pending")
    transaction = await call.build_transaction({"from": sender, "nonce": nonce, "chainId": chain_id})
    transaction["gas"] = transaction["gas"] * (100 + GAS_MARGIN_PERCENT) // 100
    signed = endpoint.account.sign_transaction(transaction)  # type: ignore[arg-type]
    tx_hash = await web3.eth.send_raw_transaction(signed.raw_transaction)
    receipt = await web3.eth.wait_for_transaction_receipt(tx_hash, timeout=endpoint.timeouts.receipt, poll_latency=0.05)
    if receipt["status"] != 1:
        raise ChainRejected(f"tx {tx_hash.to_0x_hex()} on chain {chain_id} reverted")
    return receipt


@contextlib.asynccontextmanager
async def chain_operation(endpoint: ChainEndpoint, what: str) -> AsyncIterator[None]:
    """Bounds an operation in time and turns its failure into ChainUnavailable or ChainRejected."""
    try:
        async with asyncio.timeout(endpoint.timeouts.operation):
            yield
    except ChainError:
        raise
    except Exception as error:
        kind = ChainUnavailable if is_unavailable(error) else ChainRejected
        raise kind(f"{what} on {endpoint.name}: {describe_failure(error)}") from error


def describe_failure(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "no answer within the time bound"
    if isinstance(error, ContractLogicError) and isinstance(error.data, str):
        return revert_reason(error.data)
    return str(error) or type(error).__name__


def revert_reason(data: str) -> str:
    """Names the registry's custom error in revert data: `NotOwner(0x...)` rather than `0x245aecd3...`."""
    try:
        raw = bytes.fromhex(data.removeprefix("0x"))
    except ValueError:
        return f"reverted ({data})"
    for item in registry_artifact().abi:
        if item["type"] != "error":
            continue
        types = [argument["type"] for argument in item["inputs"]]
        if raw[:4] == function_signature_to_4byte_selector(f"{item['name']}({','.join(types)})"):
            values = abi_decode(types, raw[4:])
            shown = ", ".join(_shown(kind, value) for kind, value in zip(types, values, strict=True))
            return f"reverted with {item['name']}({shown})"
    return f"reverted with data {data}"


def _shown(kind: str, value: Any) -> str:
    if kind == "address":
        return str(to_checksum_address(value))
    return "0x" + value.hex() if isinstance(value, bytes) else str(value)
