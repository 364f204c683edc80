"""The money domain for the graph: each method is one transaction (state change and audit entry together),
so a resolver parses its input, calls one method and maps the result or the MoneyError.

The caller's token is checked here again, whatever the schema declared: FX rates are set by `hub:admin`;
an institution's escrow is read with its own `trade:read` token (or `hub:admin`). Trading code that must
hold or settle escrow inside its own transaction calls `hub.money.escrow` with its session instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from hub.auth.principal import Principal
from hub.auth.scopes import HUB_ADMIN, TRADE_READ
from hub.core.idempotency import MAX_KEY_LENGTH, recall_or_refuse, remember, request_hash
from hub.core.translations import N_
from hub.core.user_errors import CommonErrorCode, Refused, UserError
from hub.db import SessionFactory
from hub.money import escrow, fx_rates
from hub.money.ecb_import import EcbImport, import_ecb
from hub.money.errors import MoneyError, MoneyErrorCode, money_text
from hub.money.escrow import EscrowTotals
from hub.money.fx import Conversion, FxRate
from hub.money.models import FxRateRecord
from hub.money.money import Money

SET_FX_RATE = "money.set_fx_rate"
SETTING_NEEDS_ADMIN = N_("setting an FX rate needs a {scope} token")
IMPORT_NEEDS_ADMIN = N_("importing FX rates needs a {scope} token")
KEY_LENGTH = N_("an idempotency key has 1-{limit} characters, not {length}")
NOT_OWN_ESCROW = N_("a {scope} token of {own} may not read the escrow of {institution}")


class MoneyService:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @staticmethod
    def _admin(principal: Principal, refusal: str) -> str:
        if not principal.may(HUB_ADMIN) or principal.client_id is None:
            raise MoneyError(MoneyErrorCode.FORBIDDEN, None, money_text(refusal, scope=HUB_ADMIN))
        return principal.client_id

    async def set_fx_rate(
        self,
        principal: Principal,
        base: object,
        quote: object,
        rate: object,
        valid_from: object,
        source: object,
        idempotency_key: str | None = None,
    ) -> FxRate:
        """Stores the rate (see `fx_rates.set_rate`); the same `idempotency_key` again (same caller) gives the first
        outcome back, with a different request IDEMPOTENCY_KEY_REUSED."""
        actor = self._admin(principal, SETTING_NEEDS_ADMIN)
        if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_KEY_LENGTH:
            message = money_text(KEY_LENGTH, limit=MAX_KEY_LENGTH, length=len(idempotency_key))
            raise Refused(UserError(CommonErrorCode.INVALID_VALUE, "idempotency_key", message))
        fingerprint = request_hash(FxRate.checked(base, quote, rate, valid_from, source).to_json())
        try:
            async with self.sessions.begin() as session:
                if idempotency_key is not None:
                    recalled = await recall_or_refuse(session, principal.key, SET_FX_RATE, idempotency_key, fingerprint)
                    if recalled is not None:
                        return await self._stored_rate(recalled)
                stored = await fx_rates.set_rate(session, actor, base, quote, rate, valid_from, source)
                if idempotency_key is not None:
                    outcome = {"rate_id": stored.id}
                    remember(session, principal.key, SET_FX_RATE, idempotency_key, fingerprint, outcome)
                return stored
        except IntegrityError:
            if idempotency_key is None:
                raise
            async with self.sessions() as session:  # the same key, recorded by a concurrent request
                recalled = await recall_or_refuse(session, principal.key, SET_FX_RATE, idempotency_key, fingerprint)
            if recalled is None:
                raise
            return await self._stored_rate(recalled)

    async def _stored_rate(self, outcome: dict[str, Any]) -> FxRate:
        async with self.sessions() as session:
            row = await session.get_one(FxRateRecord, outcome["rate_id"])
        return FxRate(row.base, row.quote, row.rate, row.valid_from, row.source, row.id)

    async def import_ecb(self, principal: Principal, document: bytes) -> EcbImport:
        actor = self._admin(principal, IMPORT_NEEDS_ADMIN)
        async with self.sessions.begin() as session:
            return await import_ecb(session, actor, document)

    async def fx_rates(self, at: object | None = None, currency: object | None = None) -> list[FxRate]:
        """The rates in force at `at` (default: now), one per pair: public, like the catalogue's prices."""
        async with self.sessions() as session:
            return await fx_rates.rates(session, at, currency)

    async def convert(self, money: Money, to_currency: object, at: object | None = None) -> Conversion:
        async with self.sessions() as session:
            return await fx_rates.convert(session, money, to_currency, at)

    async def escrow_summary(self, principal: Principal, institution: str | None = None) -> list[EscrowTotals]:
        code = (institution or principal.institution or "").upper()
        if not (principal.may(TRADE_READ, institution=code) or principal.may(HUB_ADMIN)):
            own = principal.institution or "-"
            message = money_text(NOT_OWN_ESCROW, scope=TRADE_READ, own=own, institution=code or "-")
            raise MoneyError(MoneyErrorCode.FORBIDDEN, "institution", message)
        async with self.sessions() as session:
            return await escrow.escrow_summary(session, code)
