"""Client secrets: generated at random, stored only as a scrypt hash, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
PREFIX = "scrypt"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=128 * r * n * 2)


def hash_secret(secret: str) -> str:
    """`scrypt$N$r$p$salt$hash`, every part but the name in base64url or decimal."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{PREFIX}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


# Verified against when the client is unknown, so that an unknown client id costs as much as a wrong secret.
_DECOY_HASH = hash_secret(new_secret())


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether `secret` matches `stored`; takes as long for a missing or malformed hash as for a real one."""
    parts = (stored or _DECOY_HASH).split("$")
    if len(parts) != 6 or parts[0] != PREFIX:
        parts = _DECOY_HASH.split("$")
        stored = None
    n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    digest = _scrypt(secret, _unb64(parts[4]), n, r, p)
    return hmac.compare_digest(digest, _unb64(parts[5])) and stored is not None
