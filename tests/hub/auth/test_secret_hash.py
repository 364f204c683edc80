from __future__ import annotations

from hub.auth.secret_hash import hash_secret, new_secret, verify_secret


def test_secret_hash_verifies_the_secret_and_only_it() -> None:
    secret = new_secret()
    stored = hash_secret(secret)
    assert verify_secret(secret, stored)
    assert not verify_secret(secret + "x", stored)
    assert secret not in stored
    assert stored.startswith("scrypt$")


def test_secret_hash_salts_each_hash() -> None:
    assert hash_secret("same") != hash_secret("same")


def test_secret_hash_refuses_without_a_stored_hash() -> None:
    assert not verify_secret("anything", None)
    assert not verify_secret("anything", "plain-text-secret")
