"""The hub's Merkle trees and signed notes against the published vectors (tests/audit_vectors.json)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.audit.merkle import (
    CompactRange,
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
    range_hashes,
    tree_root,
)
from hub.audit.signed_note import NoteError, NoteSigner, NoteVerifier, open_note
from tests import audit_verifier

VECTORS = json.loads((Path(__file__).parents[2] / "audit_vectors.json").read_text())
TREES = VECTORS["rfc6962"]
LEAVES = [leaf_hash(bytes.fromhex(leaf)) for leaf in TREES["leaves"]]
NOTES = VECTORS["signed_note"]


def all_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    compact, nodes = CompactRange(), {}
    for leaf in leaves:
        nodes |= {(level, idx): digest for level, idx, digest in compact.append(leaf)}
    return nodes


def test_merkle_roots_match_the_published_ones() -> None:
    assert tree_root([]).hex() == TREES["empty_root"]
    assert [tree_root(LEAVES[: n + 1]).hex() for n in range(8)] == TREES["roots"]


def test_merkle_proofs_match_the_published_ones() -> None:
    nodes = all_nodes(LEAVES)
    for vector in TREES["inclusion"]:
        path = range_hashes(inclusion_ranges(vector["leaf_index"], vector["tree_size"]), nodes)
        assert [p.hex() for p in path] == vector["path"]
    for vector in TREES["consistency"]:
        if vector["size1"] == vector["size2"]:
            continue
        path = range_hashes(consistency_ranges(vector["size1"], vector["size2"]), nodes)
        assert [p.hex() for p in path] == vector["path"]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_merkle_proofs_of_any_tree_satisfy_the_independent_verifier(size: int, data: st.DataObject) -> None:
    leaves = [leaf_hash(str(n).encode()) for n in range(size)]
    nodes = all_nodes(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    old = data.draw(st.integers(min_value=1, max_value=size))
    path = range_hashes(inclusion_ranges(index, size), nodes)
    audit_verifier.verify_inclusion(index, size, leaves[index], path, tree_root(leaves))
    consistency = range_hashes(consistency_ranges(old, size), nodes) if old < size else []
    audit_verifier.verify_consistency(old, size, tree_root(leaves[:old]), tree_root(leaves), consistency)


def test_signed_notes_match_the_published_ones() -> None:
    """The reference key signs the reference text into the reference note, byte for byte (Ed25519 is
    deterministic), and the hub reads the reference note back."""
    seed = base64.b64decode(NOTES["signer_key"].split("+", 4)[4])
    assert seed[:1] == b"\x01"
    signer = NoteSigner("PeterNeumann", Ed25519PrivateKey.from_private_bytes(seed[1:]))
    assert str(signer.verifier) == NOTES["verifier_key"]
    assert signer.sign(NOTES["text"]) == NOTES["note"]
    verifier = NoteVerifier.parse(NOTES["verifier_key"])
    assert open_note(NOTES["note_two_signatures"], verifier) == NOTES["text"].encode()
    with pytest.raises(NoteError, match="does not hold"):
        open_note(NOTES["note"].replace("problem,", "problem;"), verifier)


@pytest.mark.parametrize(
    "key",
    ["PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "Peter Neumann+c74f20a3+ARpc", "nonsense"],
)
def test_signed_note_verifier_keys_refuse_a_mangled_key(key: str) -> None:
    with pytest.raises(NoteError):
        NoteVerifier.parse(key)
