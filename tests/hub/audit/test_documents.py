"""Entry documents: format 2 is RFC 8785 whatever the entry holds; entries of format 1 stay verifiable beside it."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, update

from hub.app import Hub
from hub.audit.documents import FORMAT_1, canonical_payload, chain_hash, document_v1, document_v2, fast_document_v2
from hub.audit.log import GENESIS_HASH, append_entry
from hub.audit.models import AuditChainHead, AuditEntry, AuditEntryJurisdiction
from hub.audit.verify import verify_log
from tests.hub.audit.tampering import tamper

texts = st.text(max_size=30)  # any code point but lone surrogates: quotes, controls, 长安, emoji
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 2**40),
    texts,
    texts,
    texts,
    st.lists(st.sampled_from(["CN", "FR", "US", "DE"]), unique=True),
    st.dictionaries(texts, json_values, max_size=5),
)
def test_entry_document_fast_spelling_is_rfc8785(
    seq: int, actor: str, action: str, subject: str, places: list[str], payload: dict[str, object]
) -> None:
    at = datetime(2026, 11, 29, 12, 0, 0, 123456, tzinfo=UTC)
    body = canonical_payload(payload)
    assert fast_document_v2(seq, at, actor, action, subject, places, body) == document_v2(
        seq, at, actor, action, subject, places, body
    )


async def write_format_1(hub: Hub, count: int) -> None:
    """Entries as the hub wrote them before RFC 8785 (format 1), chained from the genesis."""
    prev = GENESIS_HASH
    async with hub.sessions.begin() as session:
        for seq in range(1, count + 1):
            at = datetime(2026, 11, 20, 10, seq, tzinfo=UTC)
            payload = canonical_payload({"added": [seq], "title": "唐三彩"}, FORMAT_1)
            document = document_v1(seq, at, "nlc-app", "catalogue.items_upserted", "institution:NLC", ["CN"], payload)
            digest = chain_hash(prev, document)
            await session.execute(
                insert(AuditEntry).values(
                    seq=seq,
                    at=at,
                    actor="nlc-app",
                    action="catalogue.items_upserted",
                    subject="institution:NLC",
                    jurisdictions=["CN"],
                    payload=payload,
                    prev_hash=prev,
                    hash=digest,
                    format=FORMAT_1,
                )
            )
            await session.execute(insert(AuditEntryJurisdiction).values(seq=seq, jurisdiction="CN"))
            prev = digest
        await session.execute(update(AuditChainHead).values(last_seq=count, last_hash=prev))


async def test_entries_of_format_1_stay_verifiable_beside_format_2(hub: Hub) -> None:
    await write_format_1(hub, 3)
    async with hub.sessions.begin() as session:
        new = await append_entry(session, "crecc-app", "catalogue.items_upserted", "institution:CRECC", ["CN"], {})
    assert (new.seq, new.format) == (4, 2)
    assert await hub.checkpoints.checkpoint_now() is not None
    async with hub.sessions() as session:
        report = await verify_log(session)
    assert report.ok and (report.entries, report.checkpoints) == (4, 1)
    await tamper(hub, """UPDATE audit_entries SET payload = '{"added":[2],"title":"唐三彩 "}' WHERE seq = 2""")
    async with hub.sessions() as session:
        report = await verify_log(session)
    assert (report.first_bad_seq, report.problem) == (2, "entry 2 does not match its hash")
