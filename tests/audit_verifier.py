"""An independent verifier of the hub's audit proofs, written from the specifications and importing no hub code:

- RFC 9162 (Certificate Transparency 2.0), 2.1.1 (hashes: leaf = SHA-256(0x00 || d), node = SHA-256(0x01 || l || r)),
  2.1.3.2 (verifying an inclusion proof) and 2.1.4.2 (verifying a consistency proof), the algorithms as written;
- C2SP signed-note (a note is text, a blank line, then lines "— <name> <base64(key hash || signature)>"; the key hash
  is the first 4 bytes of SHA-256(name || "\\n" || 0x01 || Ed25519 public key); a verifier key is
  "<name>+<hex key hash>+<base64(0x01 || public key)>") and C2SP tlog-checkpoint (the text: origin, decimal tree
  size, base64 root hash, each on its line, then optional extension lines).

Each check raises VerificationError saying what does not hold.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class VerificationError(Exception):
    pass


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hash_leaf(data: bytes) -> bytes:
    return sha256(b"\x00" + data)


def hash_children(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


def _lsb(n: int) -> bool:
    return n & 1 == 1


def root_from_inclusion_proof(leaf_index: int, tree_size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """RFC 9162 2.1.3.2, steps 1-5: the root the path leads to (VerificationError where the path cannot be right)."""
    if leaf_index >= tree_size or leaf_index < 0:
        raise VerificationError(f"leaf {leaf_index} is outside a tree of {tree_size}")
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if len(p) != 32:
            raise VerificationError("a path element is not 32 bytes")
        if sn == 0:
            raise VerificationError("the inclusion path is too long")
        if _lsb(fn) or fn == sn:
            r = hash_children(p, r)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_children(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError("the inclusion path is too short")
    return r


def verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: list[bytes], root: bytes) -> None:
    if len(leaf) != 32 or len(root) != 32:
        raise VerificationError("a leaf or root hash is not 32 bytes")
    if root_from_inclusion_proof(leaf_index, tree_size, leaf, path) != root:
        raise VerificationError(f"the inclusion path of leaf {leaf_index} does not lead to the root")


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, path: list[bytes]) -> None:
    """RFC 9162 2.1.4.2."""
    if size2 < size1:
        raise VerificationError(f"tree {size2} is older than tree {size1}")
    if size1 == size2:
        if path or root1 != root2:
            raise VerificationError("equal trees have equal roots and an empty proof")
        return
    if size1 == 0:
        if path:
            raise VerificationError("the empty tree's consistency proof is empty")
        return
    if not path:
        raise VerificationError("the consistency proof is empty")
    if any(len(c) != 32 for c in path):
        raise VerificationError("a proof element is not 32 bytes")
    if size1 & (size1 - 1) == 0:  # an exact power of 2
        path = [root1, *path]
    fn, sn = size1 - 1, size2 - 1
    while _lsb(fn):
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is too long")
        if _lsb(fn) or fn == sn:
            fr = hash_children(c, fr)
            sr = hash_children(c, sr)
            if not _lsb(fn):
                while not _lsb(fn) and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hash_children(sr, c)
        fn >>= 1
        sn >>= 1
    if fr != root1 or sr != root2 or sn != 0:
        raise VerificationError(f"the consistency proof from {size1} to {size2} does not hold")


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_hash: bytes
    public_key: bytes


def parse_verifier_key(text: str) -> VerifierKey:
    name, key_hash_hex, encoded = text.strip().split("+", 2)
    raw = base64.b64decode(encoded, validate=True)
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise VerificationError("not an Ed25519 verifier key")
    key_hash = bytes.fromhex(key_hash_hex)
    if sha256(name.encode() + b"\n" + raw)[:4] != key_hash:
        raise VerificationError("the verifier key's hash does not match its name and key")
    return VerifierKey(name, key_hash, raw[1:])


def open_signed_note(note: str, key: VerifierKey) -> str:
    """The note's text when one of its signatures is `key`'s and holds."""
    text, separator, signature_block = note.rpartition("\n\n")
    if not separator or not signature_block.endswith("\n"):
        raise VerificationError("no signature block")
    text += "\n"
    for line in signature_block[:-1].split("\n"):
        if not line.startswith("\u2014 "):
            raise VerificationError(f"bad signature line {line!r}")
        name, encoded = line[2:].split(" ", 1)
        blob = base64.b64decode(encoded, validate=True)
        if name != key.name or blob[:4] != key.key_hash:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(blob[4:], text.encode())
        except InvalidSignature:
            raise VerificationError(f"the signature of {name} does not hold") from None
        return text
    raise VerificationError(f"no signature of {key.name}")


@dataclass(frozen=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root: bytes


def open_checkpoint(note: str, key: VerifierKey) -> SignedCheckpoint:
    lines = open_signed_note(note, key).split("\n")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit():
        raise VerificationError(f"bad tree size {size!r}")
    digest = base64.b64decode(root, validate=True)
    if len(digest) != 32:
        raise VerificationError("the root is not 32 bytes")
    return SignedCheckpoint(origin, int(size), digest)
