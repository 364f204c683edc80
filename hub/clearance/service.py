"""The clearance domain for the graph and the command line: each mutation is one transaction (state change and
audit entries together), with its idempotency key; the token's scope and binding are checked here again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.principal import Principal
from hub.auth.scopes import CUSTOMS_CLEAR, LICENCE_ISSUE, TRADE_WRITE
from hub.clearance import customs, delivery, licences, refusals
from hub.clearance.assessment import Assessment, assess, load_item
from hub.clearance.customs import CustomsVerdict, Declaration
from hub.clearance.errors import ClearanceErrorCode
from hub.clearance.licences import LicenceVerdict
from hub.clearance.queues import ClearanceQueue, queue_page
from hub.clearance.rule_table import RuleTable
from hub.clearance.views import TransferClearance, clearance_of
from hub.core.clock import utc_now
from hub.core.idempotency import MAX_KEY_LENGTH, recall_or_refuse, remember, request_hash
from hub.core.translations import N_
from hub.db import SessionFactory
from hub.money.money import Money
from hub.trading.records import Page, TransferRecord
from hub.trading.transfers import existing_transfer, transfer_by_id
from hub.trading.visibility import transfer_visible_to

KEY_LENGTH = N_("The idempotency key must be 1 to {limit} characters long, not {length}.")


@dataclass(frozen=True, slots=True)
class ClearanceOutcome:
    """Where the transfer stands after the step; `return_leg` when completing a loan started its way back."""

    clearance: TransferClearance
    return_leg: TransferRecord | None = None
    replayed: bool = False


Step = Callable[[AsyncSession], Awaitable[tuple[TransferRecord, TransferRecord | None]]]


class ClearanceService:
    def __init__(self, sessions: SessionFactory, table: RuleTable) -> None:
        self.sessions = sessions
        self.table = table

    async def check(
        self,
        item_id: int,
        destination: str,
        value: Money | None = None,
        purpose: str = "SALE",
        at: datetime | None = None,
    ) -> Assessment:
        """What the hub would decide if `item_id` were traded to `destination` now: nothing is written."""
        async with self.sessions() as session:
            item = await load_item(session, item_id)
            return await assess(
                session, self.table, item, destination=destination, value=value, purpose=purpose, at=at or utc_now()
            )

    async def transfer_clearance(self, principal: Principal, transfer_id: int) -> TransferClearance | None:
        """Where the transfer stands in clearance, if the token may see the transfer; None otherwise."""
        async with self.sessions() as session:
            transfer = await transfer_by_id(session, transfer_id)
            if transfer is None or not transfer_visible_to(principal, transfer):
                return None
            return await clearance_of(session, transfer)

    async def queue(
        self, principal: Principal, queue: ClearanceQueue, first: int | None = None, after: str | None = None
    ) -> Page[TransferRecord]:
        """Regulators' views: the transfers of the token's jurisdiction awaiting its decision, held, or cleared."""
        async with self.sessions() as session:
            return await queue_page(session, principal, queue, first, after)

    async def decide_export_licence(
        self, principal: Principal, transfer_id: int, verdict: LicenceVerdict, idempotency_key: str | None = None
    ) -> ClearanceOutcome:
        """The regulator of the document's issuing country grants or denies it (`licence:issue`)."""
        jurisdiction = _jurisdiction(principal, LICENCE_ISSUE)

        async def step(session: AsyncSession) -> tuple[TransferRecord, TransferRecord | None]:
            return await licences.decide_licence(session, _actor(principal), jurisdiction, transfer_id, verdict), None

        request = {"transfer_id": transfer_id, "verdict": _plain(verdict)}
        return await self._mutate(principal, "clearance.decide_export_licence", idempotency_key, request, step)

    async def file_customs_declaration(
        self, principal: Principal, transfer_id: int, declaration: Declaration, idempotency_key: str | None = None
    ) -> ClearanceOutcome:
        """The shipper (`trade:write` of the seller; the borrower on a loan's way back) files the declaration."""
        institution = principal.bound_to(TRADE_WRITE, None, "file customs declarations for")

        async def step(session: AsyncSession) -> tuple[TransferRecord, TransferRecord | None]:
            actor = _actor(principal)
            return await customs.file_declaration(session, actor, institution, transfer_id, declaration), None

        request = {"transfer_id": transfer_id, "declaration": _plain(declaration)}
        return await self._mutate(principal, "clearance.file_customs_declaration", idempotency_key, request, step)

    async def clear_customs(
        self,
        principal: Principal,
        transfer_id: int,
        verdict: CustomsVerdict,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> ClearanceOutcome:
        """Customs of the origin (export) or the destination (import) clear, hold or uphold a hold."""
        jurisdiction = _jurisdiction(principal, CUSTOMS_CLEAR)

        async def step(session: AsyncSession) -> tuple[TransferRecord, TransferRecord | None]:
            actor = _actor(principal)
            return await customs.clear_customs(session, actor, jurisdiction, transfer_id, verdict, reason), None

        request = {"transfer_id": transfer_id, "verdict": verdict.value, "reason": reason}
        return await self._mutate(principal, "clearance.clear_customs", idempotency_key, request, step)

    async def confirm_delivery(
        self, principal: Principal, transfer_id: int, idempotency_key: str | None = None
    ) -> ClearanceOutcome:
        """The receiver confirms delivery: the transfer completes and the escrow goes to the seller."""
        institution = principal.bound_to(TRADE_WRITE, None, "confirm deliveries for")

        async def step(session: AsyncSession) -> tuple[TransferRecord, TransferRecord | None]:
            actor = _actor(principal)
            return await delivery.confirm_delivery(session, actor, institution, transfer_id, self.table)

        request = {"transfer_id": transfer_id}
        return await self._mutate(principal, "clearance.confirm_delivery", idempotency_key, request, step)

    async def _mutate(
        self, principal: Principal, operation: str, key: str | None, request: dict[str, Any], step: Step
    ) -> ClearanceOutcome:
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise refusals.refused(
                ClearanceErrorCode.INVALID_VALUE, "idempotency_key", KEY_LENGTH, limit=MAX_KEY_LENGTH, length=len(key)
            )
        fingerprint = request_hash(request)
        async with self.sessions.begin() as session:
            if key is not None:
                saved = await recall_or_refuse(session, principal.key, operation, key, fingerprint)
                if saved is not None:
                    return await _replay(session, saved)
            transfer, return_leg = await step(session)
            if key is not None:
                saved = {"transfer_id": transfer.id, "return_leg_id": return_leg.id if return_leg else None}
                remember(session, principal.key, operation, key, fingerprint, saved)
            current = await existing_transfer(session, transfer.id)
            return ClearanceOutcome(await clearance_of(session, current), return_leg)


async def _replay(session: AsyncSession, saved: dict[str, Any]) -> ClearanceOutcome:
    transfer = await existing_transfer(session, saved["transfer_id"])
    leg_id = saved.get("return_leg_id")
    return_leg = await existing_transfer(session, leg_id) if leg_id is not None else None
    return ClearanceOutcome(await clearance_of(session, transfer), return_leg, replayed=True)


def _jurisdiction(principal: Principal, scope: str) -> str:
    if not principal.has_scope(scope) or not principal.jurisdiction:
        raise refusals.refused(ClearanceErrorCode.FORBIDDEN, None, refusals.NEEDS_JURISDICTION, scope=scope)
    return principal.jurisdiction


def _actor(principal: Principal) -> str:
    return principal.client_id or "anonymous"


def _plain(value: LicenceVerdict | Declaration) -> dict[str, Any]:
    """The request's content for its idempotency fingerprint."""
    fields: dict[str, Any] = {}
    for name in value.__slots__:
        item = getattr(value, name)
        fields[name] = item.to_json() if isinstance(item, Money) else (str(item) if item is not None else None)
    return fields
