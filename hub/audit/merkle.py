"""Merkle trees as in RFC 6962 / RFC 9162, section 2.1: pure functions, no database.

A tree of size n is made of perfect subtrees: the node (level, index) covers leaves [index * 2**level,
(index + 1) * 2**level). Once complete, a perfect node never changes, so the hub stores each one once
(`AuditTreeNode`) and answers a proof from O(log n) stored nodes. Proofs are first computed as lists of leaf
ranges [start, end) (which do not depend on any hash) and then resolved to hashes from those nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeKey = tuple[int, int]
"""(level, index) of a perfect subtree."""
LeafRange = tuple[int, int]
"""[start, end) of leaves, zero-based."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_nodes(start: int, end: int) -> list[NodeKey]:
    """The perfect subtrees whose hashes make MTH(D[start:end]), left to right.

    Every range a proof needs starts at a multiple of the largest power of two not above its size, so it is a
    run of perfect subtrees of falling size; anything else is a caller's mistake.
    """
    size = end - start
    if size <= 0:
        raise ValueError(f"empty leaf range [{start}, {end})")
    nodes: list[NodeKey] = []
    offset = start
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            if offset % (1 << level):
                raise ValueError(f"leaf range [{start}, {end}) is not aligned to perfect subtrees")
            nodes.append((level, offset >> level))
            offset += 1 << level
    return nodes


def fold(hashes: list[bytes]) -> bytes:
    """The root over perfect subtrees of falling size, left to right (RFC 6962 splits at the largest power)."""
    root = hashes[-1]
    for left in reversed(hashes[:-1]):
        root = node_hash(left, root)
    return root


def range_hash(start: int, end: int, nodes: Mapping[NodeKey, bytes]) -> bytes:
    return fold([nodes[key] for key in perfect_nodes(start, end)])


def inclusion_ranges(index: int, size: int) -> list[LeafRange]:
    """PATH(index, D[0:size]) of RFC 9162 2.1.3.1 as leaf ranges, from the leaf's sibling up to the root."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[LeafRange] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start += k
    return path[::-1]


def consistency_ranges(old_size: int, new_size: int) -> list[LeafRange]:
    """PROOF(old_size, D[0:new_size]) of RFC 9162 2.1.4.1 as leaf ranges, in the order the RFC gives them."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size} leaves")
    proof: list[LeafRange] = []
    m, start, end, whole = old_size, 0, new_size, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            proof.append((start + k, end))
            end = start + k
        else:
            proof.append((start, start + k))
            m -= k
            start += k
            whole = False
    if not whole:
        proof.append((start, end))
    return proof[::-1]


class CompactRange:
    """The perfect subtrees of the first `size` leaves (one per set bit of size), grown leaf by leaf.

    `append` returns every perfect node the new leaf completes (its own leaf hash first), so a caller can
    store each node once, when it is born.
    """

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        self.size = size
        self.hashes = list(hashes)
        if len(self.hashes) != size.bit_count():
            raise ValueError(f"{size} leaves make {size.bit_count()} perfect subtrees, not {len(self.hashes)}")

    @staticmethod
    def keys(size: int) -> list[NodeKey]:
        """The perfect subtrees of the first `size` leaves, left to right."""
        return perfect_nodes(0, size) if size else []

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        born = [(0, self.size, leaf)]
        hashed = leaf
        level = 0
        while self.size >> level & 1:
            hashed = node_hash(self.hashes.pop(), hashed)
            level += 1
            born.append((level, self.size >> level, hashed))
        self.hashes.append(hashed)
        self.size += 1
        return born

    def push(self, leaf: bytes) -> None:
        """`append` without the nodes it completes (for verification, which keeps none)."""
        hashed = leaf
        size = self.size
        hashes = self.hashes
        while size & 1:
            hashed = node_hash(hashes.pop(), hashed)
            size >>= 1
        hashes.append(hashed)
        self.size += 1

    def root(self) -> bytes:
        return fold(self.hashes) if self.hashes else EMPTY_ROOT


def tree_root(leaves: Iterable[bytes]) -> bytes:
    """MTH over leaf hashes."""
    compact = CompactRange()
    for leaf in leaves:
        compact.append(leaf)
    return compact.root()


def needed_nodes(ranges: Iterable[LeafRange]) -> list[NodeKey]:
    """Every perfect node the hashes of `ranges` are made of (to fetch in one query)."""
    return sorted({key for start, end in ranges for key in perfect_nodes(start, end)})


def range_hashes(ranges: Iterable[LeafRange], nodes: Mapping[NodeKey, bytes]) -> list[bytes]:
    return [range_hash(start, end, nodes) for start, end in ranges]
