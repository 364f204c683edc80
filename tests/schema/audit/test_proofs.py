"""Checkpoints and proofs through GraphQL, checked by the independent verifier (tests/audit_verifier.py) with the
key the hub publishes at /.well-known/audit-key."""

from __future__ import annotations

import json

import httpx
import pytest

from hub.app import Hub
from hub.audit.log import append_entry
from tests import audit_verifier as rfc
from tests.auth_support import bearer, mint_token
from tests.support import graphql

CHECKPOINT_FIELDS = "treeSize firstSeq rootHash origin note"
PROOF = f"""query($seq: Int!, $treeSize: Int) {{
  auditProof(seq: $seq, treeSize: $treeSize) {{
    seq leafIndex treeSize entry leafHash auditPath checkpoint {{ {CHECKPOINT_FIELDS} }}
  }}
}}"""
CONSISTENCY = f"""query($fromSize: Int!, $toSize: Int) {{
  auditConsistency(fromSize: $fromSize, toSize: $toSize) {{
    fromCheckpoint {{ {CHECKPOINT_FIELDS} }} toCheckpoint {{ {CHECKPOINT_FIELDS} }} path
  }}
}}"""
CHECKPOINTS = f"""query($first: Int, $after: String) {{
  auditCheckpoints(first: $first, after: $after) {{
    pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {CHECKPOINT_FIELDS} }} }}
  }}
}}"""


async def log_entries(hub: Hub, places: list[list[str]]) -> None:
    for n, jurisdictions in enumerate(places):
        async with hub.sessions.begin() as session:
            await append_entry(session, "crecc-app", "trading.offer_placed", f"offer:{n}", jurisdictions, {"n": n})


@pytest.fixture
async def checkpointed(hub: Hub) -> Hub:
    """Eleven entries (the fifth for FR only, the others CN), checkpoints of 3, 7 and 11 entries."""
    await log_entries(hub, [["CN"]] * 3)
    assert await hub.checkpoints.checkpoint_now() is not None
    await log_entries(hub, [["CN"], ["FR"], ["CN", "FR"], ["CN"]])
    assert await hub.checkpoints.checkpoint_now() is not None
    await log_entries(hub, [["CN"]] * 4)
    assert await hub.checkpoints.checkpoint_now() is not None
    return hub


async def published_key(client: httpx.AsyncClient) -> rfc.VerifierKey:
    response = await client.get("/.well-known/audit-key")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return rfc.parse_verifier_key(response.text)


def checked_checkpoint(checkpoint: dict, key: rfc.VerifierKey) -> rfc.SignedCheckpoint:
    signed = rfc.open_checkpoint(checkpoint["note"], key)
    assert (signed.origin, signed.tree_size, signed.root.hex()) == (
        checkpoint["origin"],
        checkpoint["treeSize"],
        checkpoint["rootHash"],
    )
    return signed


async def test_audit_proofs_of_every_entry_satisfy_the_independent_verifier(
    checkpointed: Hub, client: httpx.AsyncClient
) -> None:
    key = await published_key(client)
    token = bearer(await mint_token(checkpointed, "audit:read", None, "CN"))
    for seq in [1, 2, 3, 4, 6, 7, 8, 11]:
        for tree_size in [None, 7, 11] if seq <= 7 else [None]:
            body = await graphql(client, PROOF, {"seq": seq, "treeSize": tree_size}, **token)
            proof = body["data"]["auditProof"]
            signed = checked_checkpoint(proof["checkpoint"], key)
            assert signed.tree_size == proof["treeSize"] == (tree_size or 11)
            entry = proof["entry"].encode()
            assert json.loads(entry)["seq"] == seq and proof["leafIndex"] == seq - 1
            leaf = rfc.hash_leaf(entry)
            assert leaf.hex() == proof["leafHash"]
            path = [bytes.fromhex(node) for node in proof["auditPath"]]
            rfc.verify_inclusion(seq - 1, signed.tree_size, leaf, path, signed.root)
            with pytest.raises(rfc.VerificationError):
                rfc.verify_inclusion(seq - 1, signed.tree_size, rfc.hash_leaf(entry + b" "), path, signed.root)


async def test_audit_consistency_proofs_between_checkpoints_satisfy_the_independent_verifier(
    checkpointed: Hub, client: httpx.AsyncClient
) -> None:
    key = await published_key(client)
    token = bearer(await mint_token(checkpointed, "audit:read", None, "FR"))
    for old, new in [(3, 7), (3, 11), (7, 11), (7, None), (11, 11)]:
        proof = (await graphql(client, CONSISTENCY, {"fromSize": old, "toSize": new}, **token))["data"]
        proof = proof["auditConsistency"]
        first = checked_checkpoint(proof["fromCheckpoint"], key)
        second = checked_checkpoint(proof["toCheckpoint"], key)
        path = [bytes.fromhex(node) for node in proof["path"]]
        rfc.verify_consistency(first.tree_size, second.tree_size, first.root, second.root, path)
    body = await graphql(client, CONSISTENCY, {"fromSize": 5}, **token)
    assert body["errors"][0]["message"] == "there is no checkpoint of 5 entries"


async def test_audit_checkpoints_are_listed_oldest_first_in_pages(checkpointed: Hub, client: httpx.AsyncClient) -> None:
    token = bearer(await mint_token(checkpointed, "audit:read", None, "CN"))
    first = (await graphql(client, CHECKPOINTS, {"first": 2}, **token))["data"]["auditCheckpoints"]
    assert [e["node"]["treeSize"] for e in first["edges"]] == [3, 7]
    assert [e["node"]["firstSeq"] for e in first["edges"]] == [1, 4]
    assert first["pageInfo"]["hasNextPage"]
    rest = await graphql(client, CHECKPOINTS, {"after": first["pageInfo"]["endCursor"]}, **token)
    assert [e["node"]["treeSize"] for e in rest["data"]["auditCheckpoints"]["edges"]] == [11]


async def test_audit_proof_is_only_for_a_regulator_of_a_jurisdiction_the_entry_touches(
    checkpointed: Hub, client: httpx.AsyncClient
) -> None:
    china = bearer(await mint_token(checkpointed, "audit:read", None, "CN"))
    france = bearer(await mint_token(checkpointed, "audit:read", None, "FR"))
    body = await graphql(client, PROOF, {"seq": 5}, **china)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == "No audit entry 5 touches CN."
    chinese = await graphql(client, PROOF, {"seq": 5}, **china, **{"Accept-Language": "zh-CN"})
    assert chinese["errors"][0]["message"] == "没有涉及 CN 的第 5 条审计记录。"
    assert (await graphql(client, PROOF, {"seq": 5}, **france))["data"]["auditProof"]["seq"] == 5
    assert (await graphql(client, PROOF, {"seq": 1}, **france))["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    anonymous = await graphql(client, PROOF, {"seq": 1})
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_audit_proof_of_an_entry_no_checkpoint_covers_yet_says_so(
    checkpointed: Hub, client: httpx.AsyncClient
) -> None:
    await log_entries(checkpointed, [["CN"]])
    token = bearer(await mint_token(checkpointed, "audit:read", None, "CN"))
    body = await graphql(client, PROOF, {"seq": 12}, **token)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "entry 12 is not in the checkpoint of 11 entries yet; ask again later"
    body = await graphql(client, PROOF, {"seq": 3, "treeSize": 4}, **token)
    assert body["errors"][0]["message"] == "there is no checkpoint of 4 entries"
