"""Checkpoints as signed notes, the form transparency logs publish (C2SP `signed-note` and `tlog-checkpoint`).

    <origin>\\n<tree size>\\n<base64 root hash>\\n\\n— <key name> <base64(key hash || Ed25519 signature)>\\n

The signature covers the text before the blank line. The key hash is the first 4 bytes of
SHA-256(key name || 0x0A || 0x01 || public key); a verifier key is written `<name>+<hex key hash>+<base64(0x01 ||
public key)>`, which is what `hub audit key` prints and `/.well-known/audit-key` serves.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "
MAX_NOTE_BYTES = 1_000_000


class NoteError(ValueError):
    """A note or a verifier key that cannot be read."""


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def check_key_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name):
        raise NoteError(f"a note key name has no spaces or '+' and is not empty: {name!r}")


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class NoteVerifier:
    """A public key that checks notes signed under `name`."""

    name: str
    public_key: bytes

    @property
    def hash(self) -> bytes:
        return key_hash(self.name, self.public_key)

    def __str__(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public_key).decode()
        return f"{self.name}+{self.hash.hex()}+{encoded}"

    @classmethod
    def parse(cls, text: str) -> NoteVerifier:
        """A verifier key `<name>+<hex hash>+<base64(0x01 || key)>`; NoteError naming the bad part."""
        name, plus, rest = text.strip().partition("+")
        hex_hash, plus2, encoded = rest.partition("+")
        if not (plus and plus2):
            raise NoteError(f"a verifier key reads <name>+<hash>+<key>, not {text!r}")
        check_key_name(name)
        try:
            raw = base64.b64decode(encoded, validate=True)
            wanted = bytes.fromhex(hex_hash)
        except (binascii.Error, ValueError):
            raise NoteError(f"the verifier key {text!r} is not hex and base64") from None
        if len(raw) != 33 or raw[:1] != ED25519:
            raise NoteError(f"the verifier key {text!r} is not an Ed25519 key")
        verifier = cls(name, raw[1:])
        if verifier.hash != wanted:
            raise NoteError(
                f"the verifier key {text!r} says hash {wanted.hex()}, its name and key give {verifier.hash.hex()}"
            )
        return verifier

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSigner:
    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier(self) -> NoteVerifier:
        return NoteVerifier(self.name, raw_public_key(self.private_key.public_key()))

    def sign(self, text: str) -> str:
        """`text` (ending in a newline) followed by a blank line and this key's signature line."""
        if not text.endswith("\n"):
            raise NoteError("a note's text ends with a newline")
        signature = self.private_key.sign(text.encode())
        encoded = base64.b64encode(self.verifier.hash + signature).decode()
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {encoded}\n"


def checkpoint_text(origin: str, tree_size: int, root: bytes) -> str:
    return f"{origin}\n{tree_size}\n{base64.b64encode(root).decode()}\n"


@dataclass(frozen=True)
class CheckpointNote:
    """A checkpoint read back from a note whose signature holds."""

    origin: str
    tree_size: int
    root: bytes


def open_note(note: str, verifier: NoteVerifier) -> bytes:
    """The signed text of `note` when `verifier` signed it; NoteError saying why not."""
    if len(note.encode()) > MAX_NOTE_BYTES:
        raise NoteError(f"the note is larger than {MAX_NOTE_BYTES} bytes")
    text, blank, signatures = note.rpartition("\n\n")
    if not blank or not signatures.endswith("\n"):
        raise NoteError("the note has no signature block after a blank line")
    for line in signatures[:-1].split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError(f"the signature line {line!r} does not start with an em dash")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError(f"the signature of {name!r} is not base64") from None
        if name == verifier.name and blob[:4] == verifier.hash:
            if verifier.verify((text + "\n").encode(), blob[4:]):
                return (text + "\n").encode()
            raise NoteError(f"the signature of key {verifier.name}+{verifier.hash.hex()} does not hold")
    raise NoteError(f"the note carries no signature of key {verifier.name}+{verifier.hash.hex()}")


def open_checkpoint(note: str, verifier: NoteVerifier) -> CheckpointNote:
    """The origin, size and root of a checkpoint note signed by `verifier`; NoteError otherwise."""
    lines = open_note(note, verifier).decode().split("\n")
    if len(lines) < 4:
        raise NoteError("a checkpoint note has an origin, a size and a root hash")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size.startswith("0") and size != "0"):
        raise NoteError(f"the checkpoint size {size!r} is not a decimal number")
    try:
        digest = base64.b64decode(root, validate=True)
    except binascii.Error:
        raise NoteError(f"the checkpoint root {root!r} is not base64") from None
    if len(digest) != 32:
        raise NoteError(f"the checkpoint root {root!r} is not 32 bytes")
    return CheckpointNote(origin, int(size), digest)
