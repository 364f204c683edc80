"""The independent verifier (tests/audit_verifier.py) against the published vectors of RFC 6962 trees
(transparency-dev/merkle) and of signed notes (golang.org/x/mod/sumdb/note); see tests/audit_vectors.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.audit_verifier import (
    VerificationError,
    hash_leaf,
    open_signed_note,
    parse_verifier_key,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "audit_vectors.json").read_text())
TREES = VECTORS["rfc6962"]
ROOTS = [bytes.fromhex(root) for root in TREES["roots"]]
LEAVES = [bytes.fromhex(leaf) for leaf in TREES["leaves"]]
NOTES = VECTORS["signed_note"]


def flip(path: list[bytes], at: int) -> list[bytes]:
    return [bytes([p[0] ^ 8]) + p[1:] if i == at else p for i, p in enumerate(path)]


@pytest.mark.parametrize("vector", TREES["inclusion"], ids=lambda v: f"{v['leaf_index']}-of-{v['tree_size']}")
def test_independent_verifier_accepts_the_published_inclusion_proofs_and_no_corruption(vector: dict) -> None:
    index, size = vector["leaf_index"], vector["tree_size"]
    path = [bytes.fromhex(p) for p in vector["path"]]
    leaf, root = hash_leaf(LEAVES[index]), ROOTS[size - 1]
    verify_inclusion(index, size, leaf, path, root)
    corrupted = [
        (index + 1, size, leaf, path, root),
        (index, size * 2, leaf, path, root),
        (index, size, hash_leaf(b"WrongLeaf"), path, root),
        (index, size, leaf, path, bytes.fromhex(TREES["empty_root"])),
        (index, size, leaf, [*path, root], root),
        (index, size, leaf, [root, *path], root),
        *[(index, size, leaf, flip(path, i), root) for i in range(len(path))],
        *([(index, size, leaf, path[:-1], root)] if path else []),
    ]
    for probe in corrupted:
        with pytest.raises(VerificationError):
            verify_inclusion(*probe)


@pytest.mark.parametrize("vector", TREES["consistency"], ids=lambda v: f"{v['size1']}-to-{v['size2']}")
def test_independent_verifier_accepts_the_published_consistency_proofs_and_no_corruption(vector: dict) -> None:
    size1, size2 = vector["size1"], vector["size2"]
    path = [bytes.fromhex(p) for p in vector["path"]]
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    verify_consistency(size1, size2, root1, root2, path)
    if not path:
        return
    corrupted = [
        (size1 + 1, size2, root1, root2, path),
        (size1, size2 * 2, root1, root2, path),
        (size1, size2, root2, root1, path),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*path, root2]),
        (size1, size2, root1, root2, path[:-1]),
        *[(size1, size2, root1, root2, flip(path, i)) for i in range(len(path))],
    ]
    for probe in corrupted:
        with pytest.raises(VerificationError):
            verify_consistency(*probe)


def test_independent_verifier_opens_the_published_signed_notes() -> None:
    key = parse_verifier_key(NOTES["verifier_key"])
    assert open_signed_note(NOTES["note"], key) == NOTES["text"]
    assert open_signed_note(NOTES["note_two_signatures"], key) == NOTES["text"]
    with pytest.raises(VerificationError, match="does not hold"):
        open_signed_note(NOTES["note"].replace("problem,", "problem;"), key)
