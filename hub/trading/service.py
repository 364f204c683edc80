"""The trading domain for the graph: each mutation is one transaction (state change, ledger postings and audit
entries together), with an optional idempotency key scoped to the client, and its transfer events published
after commit. The token's scope and institution (or jurisdiction) are checked here, whatever the schema did.

A refusal raises `Refused` with a `TradingErrorCode` (or a `CommonErrorCode`) naming the bad field; nothing is
written then. The same idempotency key with the same input gives the first outcome back (`replayed`); with a
different input it is refused with IDEMPOTENCY_KEY_REUSED.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.principal import Principal
from hub.auth.scopes import HUB_ADMIN, TRADE_READ, TRADE_WRITE
from hub.core.idempotency import MAX_KEY_LENGTH, recall_or_refuse, remember, request_hash
from hub.core.translations import N_
from hub.core.user_errors import CommonErrorCode, Refused
from hub.db import SessionFactory
from hub.money import escrow
from hub.money.errors import MoneyError
from hub.money.escrow import EscrowTotals
from hub.trading import acceptance, listing_query, listings, offers, transfers
from hub.trading.clearance_hook import AcceptanceClearance, LicenceAlwaysNeeded
from hub.trading.errors import money_refusal, refusal
from hub.trading.events import TransferEvent, TransferEvents
from hub.trading.inputs import ListingFilter, ListingInput, OfferInput, TransferFilter
from hub.trading.records import (
    AcceptanceOutcome,
    ListingOutcome,
    ListingRecord,
    OfferForSeller,
    OfferOutcome,
    OfferRecord,
    Page,
    TransferOutcome,
    TransferRecord,
)
from hub.trading.visibility import transfer_visible_to

Outcome = TypeVar("Outcome")

KEY_LENGTH = N_("The idempotency key must be 1 to {limit} characters long, not {length}.")


class TradingService:
    def __init__(
        self, sessions: SessionFactory, events: TransferEvents, clearance: AcceptanceClearance | None = None
    ) -> None:
        self.sessions = sessions
        self.events = events
        self.clearance: AcceptanceClearance = clearance or LicenceAlwaysNeeded()

    # -- listings -----------------------------------------------------------------------------------------------

    async def create_listing(
        self, principal: Principal, data: ListingInput, idempotency_key: str | None = None
    ) -> ListingOutcome:
        """Lists an item of the token's own institution (`trade:write`); at most one open listing per item."""
        seller = principal.bound_to(TRADE_WRITE, None, "list items of")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[ListingOutcome, dict[str, Any]]:
            record = await listings.create_listing(session, actor, seller, data)
            return ListingOutcome(record), {"listing_id": record.id}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> ListingOutcome:
            return ListingOutcome(await listings.existing_listing(session, saved["listing_id"]), replayed=True)

        return await self._mutate(principal, "trading.create_listing", idempotency_key, data.to_json(), apply, replay)

    async def withdraw_listing(
        self, principal: Principal, listing_id: int, idempotency_key: str | None = None
    ) -> ListingOutcome:
        """Withdraws an open listing of the token's institution; its open offers are declined."""
        seller = principal.bound_to(TRADE_WRITE, None, "withdraw listings of")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[ListingOutcome, dict[str, Any]]:
            record = await listings.withdraw_listing(session, actor, seller, listing_id)
            return ListingOutcome(record), {"listing_id": record.id}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> ListingOutcome:
            return ListingOutcome(await listings.existing_listing(session, saved["listing_id"]), replayed=True)

        request = {"listing_id": listing_id}
        return await self._mutate(principal, "trading.withdraw_listing", idempotency_key, request, apply, replay)

    async def listing(self, listing_id: int) -> ListingRecord | None:
        """A listing by id, in any state (listings are public, like the catalogue)."""
        async with self.sessions() as session:
            return await listing_query.listing(session, listing_id)

    async def listings_of_items(self, item_ids: list[int]) -> dict[int, ListingRecord]:
        """The open listing of each item that has one (the item's `listing` field, batched)."""
        async with self.sessions() as session:
            return await listing_query.open_listings_of_items(session, item_ids)

    async def listings(
        self, filters: ListingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Page[ListingRecord]:
        """Listings, newest first, keyset-paged; bad filters raise InvalidArgumentError naming them."""
        async with self.sessions() as session:
            return await listing_query.listings(session, filters or ListingFilter(), first, after)

    # -- offers -------------------------------------------------------------------------------------------------

    async def place_offer(
        self, principal: Principal, data: OfferInput, idempotency_key: str | None = None
    ) -> OfferOutcome:
        """Offers on another institution's open listing (`trade:write`), in any supported currency."""
        buyer = principal.bound_to(TRADE_WRITE, None, "offer for")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[OfferOutcome, dict[str, Any]]:
            record = await offers.place_offer(session, actor, buyer, data)
            return OfferOutcome(record), {"offer_id": record.id}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> OfferOutcome:
            return OfferOutcome(await offers.existing_offer(session, saved["offer_id"]), replayed=True)

        return await self._mutate(principal, "trading.place_offer", idempotency_key, data.to_json(), apply, replay)

    async def withdraw_offer(
        self, principal: Principal, offer_id: int, idempotency_key: str | None = None
    ) -> OfferOutcome:
        """Withdraws an open offer of the token's institution."""
        buyer = principal.bound_to(TRADE_WRITE, None, "withdraw offers of")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[OfferOutcome, dict[str, Any]]:
            record = await offers.withdraw_offer(session, actor, buyer, offer_id)
            return OfferOutcome(record), {"offer_id": record.id}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> OfferOutcome:
            return OfferOutcome(await offers.existing_offer(session, saved["offer_id"]), replayed=True)

        request = {"offer_id": offer_id}
        return await self._mutate(principal, "trading.withdraw_offer", idempotency_key, request, apply, replay)

    async def offers_for_seller(self, principal: Principal, listing_id: int) -> list[OfferForSeller]:
        """Every offer on a listing of the token's institution (`trade:read`), converted into the listing's
        currency at the rates valid now (each with its rate and date); NO_FX_RATE when a rate is missing."""
        seller = principal.bound_to(TRADE_READ, None, "read offers of")
        async with self.sessions() as session:
            try:
                return await offers.offers_for_seller(session, seller, listing_id)
            except MoneyError as exc:
                raise money_refusal(exc) from None

    async def offer(self, principal: Principal, offer_id: int) -> OfferRecord | None:
        """The offer, for a `trade:read` token of its buyer or of its listing's seller; None otherwise, as for an
        unknown id."""
        async with self.sessions() as session:
            return await offers.visible_offer(session, principal, offer_id)

    async def own_offers(self, principal: Principal, listing_id: int | None = None) -> list[OfferRecord]:
        """The offers the token's institution made (on one listing, if given), newest first."""
        buyer = principal.bound_to(TRADE_READ, None, "read offers of")
        async with self.sessions() as session:
            return await offers.own_offers(session, buyer, listing_id)

    # -- acceptance and transfers -------------------------------------------------------------------------------

    async def accept_offer(
        self, principal: Principal, offer_id: int, idempotency_key: str | None = None
    ) -> AcceptanceOutcome:
        """Accepts an open, unexpired offer on a listing of the token's institution: closes the listing, declines
        the other offers, creates the transfer (its first state from the clearance hook) and holds the buyer's
        payment in escrow, in one transaction. Exactly one offer per listing is ever accepted."""
        seller = principal.bound_to(TRADE_WRITE, None, "accept offers for")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[AcceptanceOutcome, dict[str, Any]]:
            outcome = await acceptance.accept_offer(session, actor, seller, offer_id, self.clearance)
            return outcome, {"transfer_id": outcome.transfer.id, "declined": list(outcome.declined_offer_ids)}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> AcceptanceOutcome:
            outcome = await acceptance.existing_acceptance(session, saved["transfer_id"], saved["declined"])
            return AcceptanceOutcome(outcome.transfer, outcome.offer, outcome.listing, outcome.declined_offer_ids, True)

        request = {"offer_id": offer_id}
        return await self._mutate(principal, "trading.accept_offer", idempotency_key, request, apply, replay)

    async def cancel_transfer(
        self, principal: Principal, transfer_id: int, idempotency_key: str | None = None
    ) -> TransferOutcome:
        """Cancels a transfer of the token's institution (either party, `trade:write`) before the goods ship;
        the escrow goes back to the buyer in the same transaction."""
        party = principal.bound_to(TRADE_WRITE, None, "cancel transfers of")
        actor = _actor(principal)

        async def apply(session: AsyncSession) -> tuple[TransferOutcome, dict[str, Any]]:
            record = await transfers.cancel_transfer(session, actor, party, transfer_id)
            return TransferOutcome(record), {"transfer_id": record.id}

        async def replay(session: AsyncSession, saved: dict[str, Any]) -> TransferOutcome:
            return TransferOutcome(await transfers.existing_transfer(session, saved["transfer_id"]), replayed=True)

        request = {"transfer_id": transfer_id}
        return await self._mutate(principal, "trading.cancel_transfer", idempotency_key, request, apply, replay)

    async def transfer(self, principal: Principal, transfer_id: int) -> TransferRecord | None:
        """The transfer, if the token may see it (`transfer_visible_to`); None otherwise, as for an unknown id."""
        async with self.sessions() as session:
            record = await transfers.transfer_by_id(session, transfer_id)
        return record if record is not None and transfer_visible_to(principal, record) else None

    async def transfers(
        self,
        principal: Principal,
        filters: TransferFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[TransferRecord]:
        """The transfers the token may see, newest first, keyset-paged; FORBIDDEN for a token that may see none."""
        async with self.sessions() as session:
            return await transfers.visible_transfers_page(session, principal, filters or TransferFilter(), first, after)

    async def escrow_balances(self, principal: Principal, institution: str | None = None) -> list[EscrowTotals]:
        """Held, released and returned amounts per currency of the token's institution (`trade:read`), or of any
        institution for `hub:admin`."""
        if principal.may(HUB_ADMIN) and institution is not None:
            code = institution.strip().upper()
        else:
            code = principal.bound_to(TRADE_READ, institution, "read the escrow of")
        async with self.sessions() as session:
            try:
                return await escrow.escrow_summary(session, code)
            except MoneyError as exc:
                raise money_refusal(exc) from None

    async def transfer_updates(
        self, principal: Principal, transfer_id: int | None = None
    ) -> AsyncIterator[TransferEvent]:
        """The transfer events the token may see, from now on (of one transfer, if given)."""
        async for update in self.events.subscribe(transfer_id):
            if transfer_visible_to(principal, update):
                yield update

    # -- one transaction per mutation, with its idempotency key ------------------------------------------------

    async def _mutate(
        self,
        principal: Principal,
        operation: str,
        key: str | None,
        request: dict[str, Any],
        apply: Callable[[AsyncSession], Awaitable[tuple[Outcome, dict[str, Any]]]],
        replay: Callable[[AsyncSession, dict[str, Any]], Awaitable[Outcome]],
    ) -> Outcome:
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise refusal(
                CommonErrorCode.INVALID_VALUE, "idempotency_key", KEY_LENGTH, limit=MAX_KEY_LENGTH, length=len(key)
            )
        fingerprint = request_hash(request)
        for attempt in (1, 2):
            try:
                async with self.sessions.begin() as session:
                    if key is not None:
                        saved = await recall_or_refuse(session, principal.key, operation, key, fingerprint)
                        if saved is not None:
                            return await replay(session, saved)
                    try:
                        outcome, saved = await apply(session)
                    except MoneyError as exc:
                        raise money_refusal(exc) from None
                    if key is not None:
                        remember(session, principal.key, operation, key, fingerprint, saved)
                return outcome
            except IntegrityError:
                # A concurrent request won a race the database settled (the same key, an item listed twice): the
                # second attempt sees its outcome and answers (a replay, or a refusal naming the conflict).
                if attempt == 2:
                    raise
            except Refused:
                if key is None:
                    raise
                async with self.sessions() as session:  # the same request may have committed meanwhile
                    saved = await recall_or_refuse(session, principal.key, operation, key, fingerprint)
                    if saved is None:
                        raise
                    return await replay(session, saved)
        raise AssertionError("unreachable")


def _actor(principal: Principal) -> str:
    return principal.client_id or "anonymous"
