"""Who does what on a transfer leg: the shipper files the declaration, the receiver confirms delivery, and each
required document is decided by the regulator of the country that issues it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.clearance import refusals
from hub.clearance.decision import IMPORTER
from hub.clearance.errors import ClearanceErrorCode
from hub.core.user_errors import Refused
from hub.trading.records import TransferRecord
from hub.trading.states import TransferLeg, TransferStatus
from hub.trading.transfers import lock_transfer
from hub.trading.views import transfer_record


@dataclass(frozen=True, slots=True)
class DocumentNeed:
    """A document the compliance decision requires, and the jurisdiction whose regulator decides it."""

    code: str
    issued_by: str
    presented_to: str
    decided_by: str


def shipper(transfer: TransferRecord) -> str:
    """The party the goods leave from: the seller (lender) outbound, the borrower on a loan's return leg."""
    return transfer.seller if transfer.leg is TransferLeg.OUTBOUND else transfer.buyer


def receiver(transfer: TransferRecord) -> str:
    return transfer.buyer if transfer.leg is TransferLeg.OUTBOUND else transfer.seller


def document_needs(transfer: TransferRecord) -> list[DocumentNeed]:
    """The documents of the decision stored at acceptance; an importer's statement is decided where it is lodged."""
    documents: list[dict[str, Any]] = transfer.clearance_decision.get("required_documents") or []
    return [
        DocumentNeed(
            code=d["document"],
            issued_by=d["issued_by"],
            presented_to=d["presented_to"],
            decided_by=d["presented_to"] if d["issued_by"] == IMPORTER else d["issued_by"],
        )
        for d in documents
    ]


async def locked_transfer(session: AsyncSession, transfer_id: int) -> TransferRecord:
    """The transfer, its row locked for the rest of the transaction; TRANSFER_NOT_FOUND otherwise."""
    try:
        row = await lock_transfer(session, transfer_id)
    except Refused:
        raise refusals.refused(
            ClearanceErrorCode.TRANSFER_NOT_FOUND, "transfer_id", refusals.TRANSFER_NOT_FOUND, transfer=transfer_id
        ) from None
    return await transfer_record(session, row)


def require_state(transfer: TransferRecord, wanted: set[TransferStatus]) -> None:
    if transfer.status not in wanted:
        raise refusals.refused(
            ClearanceErrorCode.WRONG_STATE,
            "transfer_id",
            refusals.WRONG_STATE,
            transfer=transfer.id,
            status=transfer.status.value,
            wanted=" or ".join(sorted(state.value for state in wanted)),
        )


def require_party(transfer: TransferRecord, party: str, institution: str) -> None:
    if institution != party:
        raise refusals.refused(
            ClearanceErrorCode.WRONG_PARTY,
            "transfer_id",
            refusals.WRONG_PARTY,
            party=party,
            transfer=transfer.id,
            institution=institution,
        )
