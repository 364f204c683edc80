"""Verifying the audit log: the first entry that does not hold is named."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.app import Hub
from hub.audit.checkpoints import checkpoint_now
from hub.audit.log import append_entry
from hub.audit.models import AuditCheckpoint
from hub.audit.note_keys import NoteKeys, stored_verifiers
from hub.audit.signed_note import NoteSigner, NoteVerifier, checkpoint_text
from hub.audit.verify import ChainReport, _iso, _utc, verify_chain, verify_log
from tests.hub.audit.conftest import entries
from tests.hub.audit.tampering import tamper


@pytest.mark.parametrize(
    ("tampering", "problem"),
    [
        ("UPDATE audit_entries SET payload = '{\"added\":[]}' WHERE seq = 1", "entry 1 does not match its hash"),
        ("UPDATE audit_entries SET actor = 'someone' WHERE seq = 1", "entry 1 does not match its hash"),
        (f"UPDATE audit_entries SET prev_hash = '{'1' * 64}' WHERE seq = 1", "entry 1 does not link to entry 0"),
    ],
)
async def test_audit_verify_names_the_first_tampered_entry(synced: Hub, tampering: str, problem: str) -> None:
    await tamper(synced, tampering)
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert not report.ok
    assert report.first_bad_seq == 1
    assert report.problem == problem


async def test_audit_verify_notices_a_missing_last_entry(synced: Hub) -> None:
    last = (await entries(synced))[-1].seq
    await tamper(
        synced,
        f"DELETE FROM audit_entry_jurisdictions WHERE seq = {last}",
        f"DELETE FROM audit_entries WHERE seq = {last}",
    )
    async with synced.sessions() as session:
        report = await verify_chain(session)
    assert report.first_bad_seq == last
    assert report.problem == f"the chain head says {last} entries, the log holds {last - 1}"


async def test_audit_verify_holds_for_entries_with_the_old_action_names(hub: Hub) -> None:
    """Entries written before the actions were named after domain events verify as they are."""
    old_and_new = ["catalogue.harvest", "catalogue.upsertCatalogueItems", "catalogue.items_upserted"]
    for n, action in enumerate(old_and_new):
        async with hub.sessions.begin() as session:
            await append_entry(session, "nlc-app", action, "institution:NLC", ["CN"], {"added": [n]})
    async with hub.sessions() as session:
        report = await verify_chain(session)
    assert report.ok and report.entries == 3
    assert [e.action for e in await entries(hub)] == old_and_new


ORIGIN = "hub.test/audit"


@pytest.fixture
async def checkpointed(hub: Hub) -> Hub:
    """Eight entries, checkpoints over the first five and over all eight."""
    keys = NoteKeys(hub.sessions, ORIGIN)
    signer = await keys.signer()
    for n in range(8):
        async with hub.sessions.begin() as session:
            await append_entry(session, "crecc-app", "catalogue.items_upserted", f"item:{n}", ["CN"], {"n": n})
        if n + 1 in (5, 8):
            assert await checkpoint_now(hub.sessions, signer, ORIGIN) is not None
    return hub


async def verify(hub: Hub, verifiers: list[NoteVerifier] | None = None) -> ChainReport:
    async with hub.sessions() as session:
        return await verify_log(session, verifiers)


async def test_audit_verify_holds_for_an_untouched_log_with_checkpoints(checkpointed: Hub) -> None:
    report = await verify(checkpointed)
    assert report == ChainReport(entries=8, checkpoints=2)


@pytest.mark.parametrize(
    ("statements", "seq", "problem"),
    [
        (
            ["UPDATE audit_entries SET payload = '{\"n\": 30}' WHERE seq = 3"],
            3,
            "entry 3 does not match its hash",
        ),
        (
            ["DELETE FROM audit_entry_jurisdictions WHERE seq = 4", "DELETE FROM audit_entries WHERE seq = 4"],
            4,
            "entry 4 is missing",
        ),
        (
            [
                "DELETE FROM audit_entry_jurisdictions WHERE seq IN (3, 4)",
                "UPDATE audit_entries SET seq = -seq WHERE seq IN (3, 4)",
                "UPDATE audit_entries SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq IN (-3, -4)",
            ],
            3,
            "entry 3 does not link to entry 2",
        ),
    ],
    ids=["changed payload", "deleted entry", "swapped entries"],
)
async def test_audit_verify_names_the_entry_that_was_tampered_with(
    checkpointed: Hub, statements: list[str], seq: int, problem: str
) -> None:
    await tamper(checkpointed, *statements)
    report = await verify(checkpointed)
    assert (report.first_bad_seq, report.bad_checkpoint, report.problem) == (seq, None, problem)
    assert report.entries == seq - 1


async def test_audit_verify_names_a_rewritten_checkpoint(checkpointed: Hub) -> None:
    """A checkpoint rewritten to another root (and re-signed by someone without the key) does not hold."""
    async with checkpointed.sessions() as session:
        real_root = (await session.get_one(AuditCheckpoint, 5)).root_hash
    other = NoteSigner(ORIGIN, Ed25519PrivateKey.generate())
    fake_root = bytes(range(32))
    note = other.sign(checkpoint_text(ORIGIN, 5, fake_root))
    rewrite = f"UPDATE audit_checkpoints SET root_hash = '{fake_root.hex()}', note = '{note}' WHERE tree_size = 5"
    await tamper(checkpointed, rewrite)
    report = await verify(checkpointed)
    assert report.bad_checkpoint == 5 and report.first_bad_seq is None
    assert report.problem == f"checkpoint 5 records root {fake_root.hex()}, its entries give {real_root}"


async def test_audit_verify_names_a_checkpoint_with_a_forged_signature(checkpointed: Hub) -> None:
    """The right root, signed by another key that claims the hub's key name and hash."""
    async with checkpointed.sessions() as session:
        [real] = await stored_verifiers(session)
        original = (await session.get_one(AuditCheckpoint, 8)).note
    text_part = original.rpartition("\n\n")[0]
    forger = Ed25519PrivateKey.generate()
    forged = base64.b64encode(real.hash + forger.sign((text_part + "\n").encode())).decode()
    note = f"{text_part}\n\n\u2014 {real.name} {forged}\n"
    assert note != original
    await tamper(checkpointed, f"UPDATE audit_checkpoints SET note = '{note}' WHERE tree_size = 8")
    report = await verify(checkpointed)
    assert report.bad_checkpoint == 8 and report.entries == 8
    assert report.problem == (
        f"checkpoint 8: its signed note does not hold: the signature of key {real.name}+{real.hash.hex()} does not hold"
    )


async def test_audit_verify_checks_signatures_against_the_key_given(checkpointed: Hub) -> None:
    """With the published key given, a key swapped in the database (and checkpoints re-signed) is caught."""
    async with checkpointed.sessions() as session:
        [real] = await stored_verifiers(session)
    assert (await verify(checkpointed, [real])).ok
    stranger = NoteSigner(ORIGIN, Ed25519PrivateKey.generate()).verifier
    report = await verify(checkpointed, [stranger])
    assert report.bad_checkpoint == 5
    assert report.problem == (
        f"checkpoint 5: its signed note does not hold: the note carries no signature of key {stranger.name}+"
        f"{stranger.hash.hex()}"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "2026-11-29 12:00:00.123456",
        "2026-11-29 12:00:00.000000",  # isoformat() drops zero microseconds
        "2026-11-29 12:00:00",
        datetime(2026, 11, 29, 12, 0, 0, 5),
        datetime(2026, 11, 29, 20, 0, 0, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_audit_verify_reads_stored_times_as_append_wrote_them(raw: str | datetime) -> None:
    assert _iso(raw) == _utc(raw).isoformat()
    assert _utc(raw).tzinfo is UTC
