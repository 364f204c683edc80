"""Customs: the shipper files the declaration once every required licence is granted and valid; the origin's
customs clear the export (IN_TRANSIT) or hold it, the destination's customs clear the import (ARRIVED) or hold
it; a hold upheld ends the transfer as REJECTED and returns the buyer's escrow."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry
from hub.clearance import refusals
from hub.clearance.errors import ClearanceErrorCode
from hub.clearance.licences import GRANTED, MAX_REASON, decisions_of
from hub.clearance.models import CustomsCheck, CustomsDeclaration
from hub.clearance.parties import document_needs, locked_transfer, require_party, require_state, shipper
from hub.core.clock import utc_now
from hub.money.money import Money
from hub.trading.events import note_transfer_change
from hub.trading.records import TransferRecord
from hub.trading.states import TransferStatus
from hub.trading.transfers import advance_transfer, end_transfer_early

HS_CODE = re.compile(r"\d{4}(\.\d{2})?")
MAX_PARTY = 255
MAX_REFERENCES = 20
EXPORT = "EXPORT"
IMPORT = "IMPORT"


class CustomsVerdict(enum.Enum):
    CLEAR = "CLEAR"
    HOLD = "HOLD"
    UPHOLD_HOLD = "UPHOLD_HOLD"


CHECK_STATUS = {CustomsVerdict.CLEAR: "CLEARED", CustomsVerdict.HOLD: "HELD", CustomsVerdict.UPHOLD_HOLD: "UPHELD"}


@dataclass(frozen=True, slots=True)
class Declaration:
    hs_code: str
    declared_value: Money
    origin_country: str
    destination_country: str
    consignor: str
    consignee: str
    licence_references: tuple[str, ...]


def _text(field: str, value: str) -> str:
    text = value.strip()
    if not 0 < len(text) <= MAX_PARTY:
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE, field, refusals.INVALID_TEXT, field=field, limit=MAX_PARTY
        )
    return text


def _check_declaration(transfer: TransferRecord, declaration: Declaration) -> None:
    if not HS_CODE.fullmatch(declaration.hs_code):
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE, "hs_code", refusals.INVALID_HS_CODE, value=repr(declaration.hs_code[:20])
        )
    route = f"from {transfer.origin_country} to {transfer.destination_country}"
    for field, value, expected in (
        ("origin_country", declaration.origin_country, transfer.origin_country),
        ("destination_country", declaration.destination_country, transfer.destination_country),
    ):
        if value != expected:
            raise refusals.refused(
                ClearanceErrorCode.INVALID_VALUE,
                field,
                refusals.DECLARATION_MISMATCH,
                field=field,
                value=repr(value[:8]),
                transfer=transfer.id,
                expected=route,
            )
    if len(declaration.licence_references) > MAX_REFERENCES:
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE,
            "licence_references",
            refusals.TOO_MANY_REFERENCES,
            limit=MAX_REFERENCES,
            count=len(declaration.licence_references),
        )


async def _check_licences(session: AsyncSession, transfer: TransferRecord, references: tuple[str, ...]) -> None:
    """Every required document granted, valid today and cited; every citation one of them."""
    decided = await decisions_of(session, transfer.id)
    today = utc_now().date()
    cited = {reference.strip() for reference in references}
    granted: set[str] = set()
    for need in document_needs(transfer):
        row = decided.get(need.code)
        if row is None or row.verdict != GRANTED or row.reference_number is None or row.valid_until is None:
            raise refusals.refused(
                ClearanceErrorCode.LICENCE_MISSING,
                "licence_references",
                refusals.LICENCE_MISSING,
                transfer=transfer.id,
                document=need.code,
                jurisdiction=need.decided_by,
            )
        if row.valid_until < today:
            raise refusals.refused(
                ClearanceErrorCode.LICENCE_EXPIRED,
                "licence_references",
                refusals.LICENCE_EXPIRED,
                document=need.code,
                reference=row.reference_number,
                transfer=transfer.id,
                valid_until=row.valid_until.isoformat(),
            )
        if row.reference_number not in cited:
            raise refusals.refused(
                ClearanceErrorCode.LICENCE_MISSING,
                "licence_references",
                refusals.LICENCE_NOT_REFERENCED,
                document=need.code,
                reference=row.reference_number,
            )
        granted.add(row.reference_number)
    for reference in sorted(cited - granted):
        raise refusals.refused(
            ClearanceErrorCode.INVALID_VALUE,
            "licence_references",
            refusals.UNKNOWN_REFERENCE,
            reference=repr(reference[:64]),
            transfer=transfer.id,
        )


def _declaration_row(
    transfer: TransferRecord, declaration: Declaration, consignor: str, consignee: str, actor: str
) -> CustomsDeclaration:
    return CustomsDeclaration(
        transfer_id=transfer.id,
        hs_code=declaration.hs_code,
        declared_minor=declaration.declared_value.minor,
        currency=declaration.declared_value.currency,
        origin_country=declaration.origin_country,
        destination_country=declaration.destination_country,
        consignor=consignor,
        consignee=consignee,
        licence_references=sorted({r.strip() for r in declaration.licence_references}),
        filed_by=actor,
        filed_at=utc_now(),
    )


async def file_declaration(
    session: AsyncSession, actor: str, institution: str, transfer_id: int, declaration: Declaration
) -> TransferRecord:
    transfer = await locked_transfer(session, transfer_id)
    require_party(transfer, shipper(transfer), institution)
    if transfer.status is TransferStatus.AWAITING_EXPORT_LICENCE:
        await _check_licences(session, transfer, declaration.licence_references)
    require_state(transfer, {TransferStatus.AWAITING_CUSTOMS})
    filed = await session.scalar(select(CustomsDeclaration).where(CustomsDeclaration.transfer_id == transfer.id))
    if filed is not None:
        raise refusals.refused(
            ClearanceErrorCode.DECLARATION_ALREADY_FILED,
            "transfer_id",
            refusals.ALREADY_DECLARED,
            transfer=transfer.id,
            filed_at=filed.filed_at.date().isoformat(),
        )
    _check_declaration(transfer, declaration)
    consignor, consignee = _text("consignor", declaration.consignor), _text("consignee", declaration.consignee)
    await _check_licences(session, transfer, declaration.licence_references)
    row = _declaration_row(transfer, declaration, consignor, consignee, actor)
    session.add(row)
    await session.flush()
    payload = {
        "transfer": transfer.id,
        "hs_code": row.hs_code,
        "declared_value": declaration.declared_value.to_json(),
        "origin": row.origin_country,
        "destination": row.destination_country,
        "consignor": consignor,
        "consignee": consignee,
        "licence_references": row.licence_references,
    }
    await append_entry(
        session, actor, "clearance.declaration_filed", f"transfer:{transfer.id}", transfer.jurisdictions, payload
    )
    note_transfer_change(session, transfer)
    return transfer


def _border(transfer: TransferRecord, jurisdiction: str) -> tuple[str, str]:
    """The direction and the jurisdiction whose customs act now: the origin's (export), the destination's (import)."""
    require_state(transfer, {TransferStatus.AWAITING_CUSTOMS, TransferStatus.IN_TRANSIT})
    direction, place = (
        (EXPORT, transfer.origin_country)
        if transfer.status is TransferStatus.AWAITING_CUSTOMS
        else (IMPORT, transfer.destination_country)
    )
    if jurisdiction != place:
        raise refusals.refused(
            ClearanceErrorCode.WRONG_JURISDICTION,
            "transfer_id",
            refusals.WRONG_EXPORT_CUSTOMS if direction == EXPORT else refusals.WRONG_IMPORT_CUSTOMS,
            transfer=transfer.id,
            jurisdiction=place,
            own=jurisdiction,
        )
    return direction, place


async def _require_declaration(session: AsyncSession, transfer: TransferRecord) -> None:
    declared = await session.scalar(select(CustomsDeclaration.id).where(CustomsDeclaration.transfer_id == transfer.id))
    if declared is None:
        raise refusals.refused(
            ClearanceErrorCode.DECLARATION_MISSING, "transfer_id", refusals.DECLARATION_MISSING, transfer=transfer.id
        )


def _checked_reason(
    transfer: TransferRecord, place: str, check: CustomsCheck | None, verdict: CustomsVerdict, reason: str | None
) -> str:
    """The reason given (required for a hold); refused when the verdict does not fit the border's hold."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON or (verdict is CustomsVerdict.HOLD and not text):
        raise refusals.refused(ClearanceErrorCode.INVALID_VALUE, "reason", refusals.MISSING_REASON, limit=MAX_REASON)
    held = check is not None and check.status == "HELD"
    if verdict is CustomsVerdict.HOLD and check is not None and held:
        raise refusals.refused(
            ClearanceErrorCode.ALREADY_HELD,
            "transfer_id",
            refusals.ALREADY_HELD,
            transfer=transfer.id,
            jurisdiction=place,
            reason=check.reason or "",
        )
    if verdict is CustomsVerdict.UPHOLD_HOLD and not held:
        at_export = place == transfer.origin_country and transfer.status is TransferStatus.AWAITING_CUSTOMS
        text = refusals.NOT_HELD_AT_EXPORT if at_export else refusals.NOT_HELD_AT_IMPORT
        raise refusals.refused(ClearanceErrorCode.NOT_HELD, "transfer_id", text, transfer=transfer.id)
    return text


async def clear_customs(
    session: AsyncSession, actor: str, jurisdiction: str, transfer_id: int, verdict: CustomsVerdict, reason: str | None
) -> TransferRecord:
    transfer = await locked_transfer(session, transfer_id)
    direction, place = _border(transfer, jurisdiction)
    if direction == EXPORT:
        await _require_declaration(session, transfer)
    check = await session.scalar(
        select(CustomsCheck).where(CustomsCheck.transfer_id == transfer.id, CustomsCheck.direction == direction)
    )
    text = _checked_reason(transfer, place, check, verdict, reason)
    status = CHECK_STATUS[verdict]
    if check is None:
        check = CustomsCheck(transfer_id=transfer.id, direction=direction, jurisdiction=place, status=status)
        session.add(check)
    check.status = status
    check.reason = text or check.reason
    check.decided_by = actor
    check.decided_at = utc_now()
    await session.flush()
    return await _after_customs(session, actor, transfer, check)


async def _after_customs(
    session: AsyncSession, actor: str, transfer: TransferRecord, check: CustomsCheck
) -> TransferRecord:
    details = {"direction": check.direction, "jurisdiction": check.jurisdiction, "reason": check.reason}
    if check.status == "HELD":
        await append_entry(
            session,
            actor,
            "clearance.customs_held",
            f"transfer:{transfer.id}",
            transfer.jurisdictions,
            {"transfer": transfer.id, "status": transfer.status.value} | details,
        )
        note_transfer_change(session, transfer)
        return transfer
    if check.status == "UPHELD":
        return await end_transfer_early(
            session, transfer.id, TransferStatus.REJECTED, actor, details | {"hold": "upheld"}
        )
    wanted = TransferStatus.IN_TRANSIT if check.direction == EXPORT else TransferStatus.ARRIVED
    action = "clearance.export_cleared" if check.direction == EXPORT else "clearance.import_cleared"
    return await advance_transfer(session, transfer.id, {transfer.status}, wanted, actor, action, details)
