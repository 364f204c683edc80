"""Export licences: the regulator of the issuing country grants (reference number, validity) or denies each
document the compliance decision requires. The last grant moves the transfer to AWAITING_CUSTOMS; a denial ends
it as REJECTED and returns the buyer's escrow. One transaction, the caller's, with the audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.clearance import refusals
from hub.clearance.errors import ClearanceErrorCode
from hub.clearance.models import LicenceDecision
from hub.clearance.parties import DocumentNeed, document_needs, locked_transfer, require_state
from hub.core.clock import utc_now
from hub.trading.events import note_transfer_change
from hub.trading.records import TransferRecord
from hub.trading.states import TransferStatus
from hub.trading.transfers import advance_transfer, end_transfer_early

GRANTED = "GRANTED"
DENIED = "DENIED"
MAX_REFERENCE = 64
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class LicenceVerdict:
    """What the regulator decides about one document."""

    document: str
    grant: bool
    reference_number: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    reason: str | None = None


async def decisions_of(session: AsyncSession, transfer_id: int) -> dict[str, LicenceDecision]:
    rows = await session.scalars(select(LicenceDecision).where(LicenceDecision.transfer_id == transfer_id))
    return {row.document: row for row in rows}


def _need(transfer: TransferRecord, needs: list[DocumentNeed], document: str, own: str) -> DocumentNeed:
    need = next((n for n in needs if n.code == document), None)
    if need is None:
        raise refusals.refused(
            ClearanceErrorCode.DOCUMENT_NOT_REQUIRED,
            "document",
            refusals.DOCUMENT_NOT_REQUIRED,
            transfer=transfer.id,
            document=document[:64],
            required=", ".join(n.code for n in needs) or "-",
        )
    if need.decided_by != own:
        raise refusals.refused(
            ClearanceErrorCode.WRONG_JURISDICTION,
            "transfer_id",
            refusals.WRONG_LICENCE_JURISDICTION,
            document=need.code,
            transfer=transfer.id,
            jurisdiction=need.decided_by,
            own=own,
        )
    return need


def check_verdict(verdict: LicenceVerdict, today: date) -> None:
    if verdict.grant:
        reference = (verdict.reference_number or "").strip()
        if not 0 < len(reference) <= MAX_REFERENCE:
            raise refusals.refused(
                ClearanceErrorCode.INVALID_VALUE, "reference_number", refusals.MISSING_REFERENCE, limit=MAX_REFERENCE
            )
        start = verdict.valid_from or today
        if verdict.valid_until is None or verdict.valid_until < max(start, today):
            raise refusals.refused(
                ClearanceErrorCode.INVALID_VALUE,
                "valid_until",
                refusals.BAD_VALIDITY,
                valid_from=start.isoformat(),
                valid_until=verdict.valid_until.isoformat() if verdict.valid_until else "-",
            )
    elif not 0 < len((verdict.reason or "").strip()) <= MAX_REASON:
        raise refusals.refused(ClearanceErrorCode.INVALID_VALUE, "reason", refusals.MISSING_REASON, limit=MAX_REASON)


def _not_decided_yet(transfer: TransferRecord, need: DocumentNeed, earlier: LicenceDecision | None) -> None:
    if earlier is not None:
        raise refusals.refused(
            ClearanceErrorCode.DOCUMENT_ALREADY_DECIDED,
            "document",
            refusals.DOCUMENT_ALREADY_DECIDED,
            document=need.code,
            transfer=transfer.id,
            verdict=earlier.verdict,
            decided_at=earlier.decided_at.date().isoformat(),
        )


async def decide_licence(
    session: AsyncSession, actor: str, jurisdiction: str, transfer_id: int, verdict: LicenceVerdict
) -> TransferRecord:
    transfer = await locked_transfer(session, transfer_id)
    require_state(transfer, {TransferStatus.AWAITING_EXPORT_LICENCE})
    needs = document_needs(transfer)
    need = _need(transfer, needs, verdict.document, jurisdiction)
    decided = await decisions_of(session, transfer.id)
    _not_decided_yet(transfer, need, decided.get(need.code))
    now = utc_now()
    check_verdict(verdict, now.date())
    row = LicenceDecision(
        transfer_id=transfer.id,
        document=need.code,
        jurisdiction=jurisdiction,
        verdict=GRANTED if verdict.grant else DENIED,
        reference_number=(verdict.reference_number or "").strip() if verdict.grant else None,
        valid_from=(verdict.valid_from or now.date()) if verdict.grant else None,
        valid_until=verdict.valid_until if verdict.grant else None,
        reason=(verdict.reason or "").strip() or None,
        decided_by=actor,
        decided_at=now,
    )
    session.add(row)
    await session.flush()
    decided[need.code] = row
    await _audit(session, actor, transfer, row)
    if not verdict.grant:
        details = {"document": need.code, "reason": row.reason}
        return await end_transfer_early(session, transfer.id, TransferStatus.REJECTED, actor, details)
    if all(decided.get(n.code) is not None and decided[n.code].verdict == GRANTED for n in needs):
        return await advance_transfer(
            session,
            transfer.id,
            {TransferStatus.AWAITING_EXPORT_LICENCE},
            TransferStatus.AWAITING_CUSTOMS,
            actor,
            "clearance.licences_complete",
            {"documents": [n.code for n in needs]},
        )
    note_transfer_change(session, transfer)
    return transfer


async def _audit(session: AsyncSession, actor: str, transfer: TransferRecord, row: LicenceDecision) -> None:
    action = "clearance.licence_granted" if row.verdict == GRANTED else "clearance.licence_denied"
    payload = {
        "transfer": transfer.id,
        "document": row.document,
        "jurisdiction": row.jurisdiction,
        "verdict": row.verdict,
        "reference_number": row.reference_number,
        "valid_from": row.valid_from.isoformat() if row.valid_from else None,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "reason": row.reason,
    }
    await append_entry(session, actor, action, f"transfer:{transfer.id}", transfer.jurisdictions, payload)
