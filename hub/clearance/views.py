"""Where a transfer stands in clearance: its compliance decision, each required document and its decision, the
customs declaration, customs' decision at each border, and (a loan's return leg) the date it is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clearance.decision import ComplianceDecision, decision_from_record
from hub.clearance.licences import decisions_of
from hub.clearance.models import CustomsCheck, CustomsDeclaration
from hub.clearance.parties import document_needs
from hub.money.money import Money
from hub.trading.records import TransferRecord

PENDING = "PENDING"


@dataclass(frozen=True, slots=True)
class DocumentState:
    code: str
    issued_by: str
    presented_to: str
    decided_by: str
    """The jurisdiction whose regulator grants or denies it."""
    verdict: str
    """PENDING, GRANTED or DENIED."""
    reference_number: str | None
    valid_from: date | None
    valid_until: date | None
    reason: str | None
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeclarationView:
    hs_code: str
    declared_value: Money
    origin_country: str
    destination_country: str
    consignor: str
    consignee: str
    licence_references: tuple[str, ...]
    filed_at: datetime


@dataclass(frozen=True, slots=True)
class BorderCheck:
    direction: str
    jurisdiction: str
    status: str
    """CLEARED, HELD or UPHELD."""
    reason: str | None
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class TransferClearance:
    transfer: TransferRecord
    decision: ComplianceDecision | None
    """None when the transfer was decided by another hook (no rule table record)."""
    documents: tuple[DocumentState, ...]
    declaration: DeclarationView | None
    customs: tuple[BorderCheck, ...]
    due_by: date | None


async def clearance_of(session: AsyncSession, transfer: TransferRecord) -> TransferClearance:
    record = transfer.clearance_decision
    decided = await decisions_of(session, transfer.id)
    documents = []
    for need in document_needs(transfer):
        row = decided.get(need.code)
        documents.append(
            DocumentState(
                code=need.code,
                issued_by=need.issued_by,
                presented_to=need.presented_to,
                decided_by=need.decided_by,
                verdict=PENDING if row is None else row.verdict,
                reference_number=None if row is None else row.reference_number,
                valid_from=None if row is None else row.valid_from,
                valid_until=None if row is None else row.valid_until,
                reason=None if row is None else row.reason,
                decided_at=None if row is None else row.decided_at,
            )
        )
    declaration = await session.scalar(select(CustomsDeclaration).where(CustomsDeclaration.transfer_id == transfer.id))
    checks = await session.scalars(
        select(CustomsCheck).where(CustomsCheck.transfer_id == transfer.id).order_by(CustomsCheck.id)
    )
    due_by = record.get("due_by")
    return TransferClearance(
        transfer=transfer,
        decision=decision_from_record(record) if "rule_table" in record else None,
        documents=tuple(documents),
        declaration=None if declaration is None else _declaration(declaration),
        customs=tuple(BorderCheck(c.direction, c.jurisdiction, c.status, c.reason, c.decided_at) for c in checks),
        due_by=date.fromisoformat(due_by) if isinstance(due_by, str) else None,
    )


def _declaration(row: CustomsDeclaration) -> DeclarationView:
    return DeclarationView(
        hs_code=row.hs_code,
        declared_value=Money.from_minor(row.declared_minor, row.currency),
        origin_country=row.origin_country,
        destination_country=row.destination_country,
        consignor=row.consignor,
        consignee=row.consignee,
        licence_references=tuple(row.licence_references),
        filed_at=row.filed_at,
    )
