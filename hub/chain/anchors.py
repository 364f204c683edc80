"""What the hub writes on a chain and what it keeps about each write."""

from __future__ import annotations

from dataclasses import dataclass

HASH_SIZE = 32
MAX_TREE_SIZE = 2**64 - 1


def _require_hash(name: str, value: bytes) -> None:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise ValueError(f"{name} must be {HASH_SIZE} bytes, not {value!r}")


@dataclass(frozen=True)
class Checkpoint:
    """The Merkle root over the first `tree_size` entries of the audit log `log_id`."""

    root: bytes
    tree_size: int
    log_id: bytes

    def __post_init__(self) -> None:
        _require_hash("root", self.root)
        _require_hash("log_id", self.log_id)
        if not 0 < self.tree_size <= MAX_TREE_SIZE:
            raise ValueError(f"tree_size must be between 1 and {MAX_TREE_SIZE}, not {self.tree_size}")


@dataclass(frozen=True)
class ProvenanceRecord:
    """A provenance record's canonical hash, registered for the item whose hash is `item_hash`."""

    item_hash: bytes
    record_hash: bytes

    def __post_init__(self) -> None:
        _require_hash("item_hash", self.item_hash)
        _require_hash("record_hash", self.record_hash)


# What the hub writes to a chain, and what it keeps about the write.
Subject = Checkpoint | ProvenanceRecord


def subject_key(subject: Subject) -> bytes:
    """What identifies a write on a chain: the root, or the item and record hashes."""
    if isinstance(subject, Checkpoint):
        return subject.root
    return subject.item_hash + subject.record_hash


def describe_subject(subject: Subject) -> str:
    if isinstance(subject, Checkpoint):
        return f"root 0x{subject.root.hex()} of {subject.tree_size} entries"
    return f"provenance record 0x{subject.record_hash.hex()} of item 0x{subject.item_hash.hex()}"


@dataclass(frozen=True)
class Anchor:
    """A checkpoint root recorded by the transaction `tx_hash` in block `block_number` of chain `chain_id`."""

    chain_id: int
    contract: str
    tx_hash: str
    block_number: int
    root: bytes
    tree_size: int


@dataclass(frozen=True)
class ProvenanceAnchor:
    """A provenance record's hash registered for an item by the transaction `tx_hash`."""

    chain_id: int
    contract: str
    tx_hash: str
    block_number: int
    item_hash: bytes
    record_hash: bytes


ChainWrite = Anchor | ProvenanceAnchor


@dataclass(frozen=True)
class Deployment:
    """The audit registry contract on one chain, deployed by the transaction `tx_hash`."""

    chain_id: int
    contract: str
    tx_hash: str
    block_number: int
