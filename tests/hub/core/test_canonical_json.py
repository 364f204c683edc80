from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from hub.core.canonical_json import canonical_digest, canonical_json


def test_canonical_json_sorts_keys_without_spaces_in_utf8() -> None:
    assert canonical_json({"b": [1, 2], "a": "长安"}) == '{"a":"长安","b":[1,2]}'


def test_canonical_json_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        canonical_json({"at": datetime(2025, 3, 1, tzinfo=UTC)})


def test_canonical_digest_is_the_sha256_of_the_canonical_bytes() -> None:
    expected = hashlib.sha256('{"a":"长安","b":[1,2]}'.encode()).hexdigest()
    assert canonical_digest({"b": [1, 2], "a": "长安"}) == expected
