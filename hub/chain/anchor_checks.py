"""Checks every anchor the hub stored against its chain: `hub audit verify` calls this after the checkpoints.

The root and size an anchor must prove come from the checkpoint table (which the audit verification recomputes
from the entries), never from the anchor row; the chain is found by the chain id the endpoint reports. A chain
that cannot be reached is reported as unchecked, not as a forgery.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.checkpoints import log_id
from hub.audit.models import AuditCheckpoint
from hub.chain.models import ChainAnchorRow, ProvenanceRegistration

if TYPE_CHECKING:
    from web3 import AsyncWeb3

    from hub.chain.endpoints import ChainEndpoint
    from hub.chain.verify import AnchorCheck

BATCH = 500


@dataclass(frozen=True)
class AnchorProblem:
    """The first anchor that does not hold: of checkpoint `checkpoint_size` or of registration `registration_id`."""

    chain: str
    tx_hash: str
    problem: str
    checkpoint_size: int | None = None
    registration_id: int | None = None

    @property
    def subject(self) -> str:
        if self.checkpoint_size is not None:
            return f"checkpoint {self.checkpoint_size}"
        return f"provenance registration {self.registration_id}"


@dataclass
class AnchorsReport:
    checked: int = 0
    failure: AnchorProblem | None = None
    unchecked: dict[str, str] = field(default_factory=dict)
    """Chains whose anchors could not be checked, and why (down, or not configured here)."""

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def anchors(self) -> int:
        """How many anchors were checked (and held, up to the failure)."""
        return self.checked

    @property
    def first_bad_checkpoint(self) -> int | None:
        return self.failure.checkpoint_size if self.failure else None

    @property
    def problem(self) -> str | None:
        """What does not hold, in one sentence (naming the registration when the anchor is a provenance one)."""
        if self.failure is None:
            return None
        if self.failure.checkpoint_size is None:
            return f"{self.failure.subject} on {self.failure.chain}: {self.failure.problem}"
        return self.failure.problem


async def verify_stored_anchors(session: AsyncSession, endpoints: Sequence[ChainEndpoint]) -> AnchorsReport:
    """Every stored anchor in the order they were made, read in batches; stops at the first that does not hold."""
    from hub.chain.errors import ChainUnavailable

    report = AnchorsReport()
    by_chain_id = await _endpoints_by_chain_id(endpoints, report)
    after = 0
    while report.failure is None:
        stmt = (
            select(ChainAnchorRow, AuditCheckpoint, ProvenanceRegistration)
            .outerjoin(AuditCheckpoint, AuditCheckpoint.tree_size == ChainAnchorRow.checkpoint_size)
            .outerjoin(ProvenanceRegistration, ProvenanceRegistration.id == ChainAnchorRow.registration_id)
            .where(ChainAnchorRow.id > after)
            .order_by(ChainAnchorRow.id)
            .limit(BATCH)
        )
        rows = (await session.execute(stmt)).all()
        if not rows:
            break
        for anchor, checkpoint, registration in rows:
            endpoint = by_chain_id.get(anchor.chain_id)
            if endpoint is None:
                report.unchecked.setdefault(anchor.chain, f"chain {anchor.chain_id} is not configured here")
                continue
            try:
                check = await _check(endpoint, anchor, checkpoint, registration)
            except ChainUnavailable as down:
                report.unchecked.setdefault(anchor.chain, str(down))
                continue
            report.checked += 1
            if check is not None:
                report.failure = AnchorProblem(
                    anchor.chain, anchor.tx_hash, check, anchor.checkpoint_size, anchor.registration_id
                )
                break
        after = rows[-1][0].id
    return report


async def _endpoints_by_chain_id(endpoints: Sequence[ChainEndpoint], report: AnchorsReport) -> dict[int, ChainEndpoint]:
    from hub.chain.registry import chain_operation

    found: dict[int, ChainEndpoint] = {}
    for endpoint in endpoints:
        try:
            async with chain_operation(endpoint, "reading the chain id"):
                found[await (await endpoint.connected()).eth.chain_id] = endpoint
        except Exception as error:
            report.unchecked[endpoint.name] = str(error)
    return found


async def _check(
    endpoint: ChainEndpoint,
    anchor: ChainAnchorRow,
    checkpoint: AuditCheckpoint | None,
    registration: ProvenanceRegistration | None,
) -> str | None:
    """The problem with `anchor`, or None when it holds."""
    from hub.chain.anchors import Anchor, ProvenanceAnchor
    from hub.chain.verify import verify_anchor, verify_provenance

    web3 = await endpoint.connected()
    owner = endpoint.account.address
    check: AnchorCheck
    if checkpoint is not None:
        root = bytes.fromhex(checkpoint.root_hash)
        record = Anchor(
            anchor.chain_id, anchor.contract, anchor.tx_hash, anchor.block_number, root, checkpoint.tree_size
        )
        check = await verify_anchor(web3, record, root, checkpoint.tree_size, owner=owner)
        if check.holds and not await _log_id_matches(web3, anchor, root, log_id(checkpoint.origin)):
            return f"the registry {anchor.contract} files root 0x{root.hex()} under another log"
        return check.problem
    assert registration is not None  # the table's check constraint: one subject per anchor
    if hashlib.sha256(registration.record.encode()).hexdigest() != registration.record_hash:
        return f"provenance registration {registration.id}'s record does not match its hash"
    item_hash, record_hash = bytes.fromhex(registration.item_hash), bytes.fromhex(registration.record_hash)
    provenance = ProvenanceAnchor(
        anchor.chain_id, anchor.contract, anchor.tx_hash, anchor.block_number, item_hash, record_hash
    )
    check = await verify_provenance(web3, provenance, item_hash, record_hash, owner=owner)
    return check.problem


async def _log_id_matches(web3: AsyncWeb3[Any], anchor: ChainAnchorRow, root: bytes, expected: bytes) -> bool:
    from hub.chain.registry import registry_contract

    contract = registry_contract(web3, anchor.contract)
    _, _, stored = await contract.functions.checkpoint(root).call()
    return bytes(stored) == expected
