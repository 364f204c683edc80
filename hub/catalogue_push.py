"""Partner push: an institution's own software upserts and deletes its catalogue items, or asks for a sync.

Pushed records go through the same store (normalisation, content hashes, tombstones) as harvested ones, in one
transaction per call, and raise the same `catalogueChanges` events. The token's institution binding is
enforced here, whatever the schema checked before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.records import CatalogueRecord, Tombstone
from hub.audit import append_entry
from hub.auth.principal import Principal
from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue_store import ChangeSet, store_records
from hub.db import SessionFactory
from hub.events import CatalogueEvents
from hub.i18n import UnknownLanguageError, validate_language
from hub.idempotency import MAX_KEY_LENGTH, IdempotencyKeyReusedError, recall, remember, request_hash
from hub.models import CatalogueItem, Institution, utc_now
from hub.sync import SyncService
from hub.user_errors import UserError, UserErrorCode

MAX_ITEMS = 500
MAX_SOURCE_ID = 255
MAX_URL = 1024


@dataclass
class PushOutcome:
    item_ids: list[int] = field(default_factory=list)
    """Upsert: the pushed items as stored now. Delete: the items now deleted."""
    errors: list[UserError] = field(default_factory=list)
    replayed: bool = False


@dataclass
class SyncOutcome:
    institution: str | None = None
    ok: bool = False
    pages: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: list[UserError] = field(default_factory=list)


class _Refusal(Exception):
    def __init__(self, *errors: UserError) -> None:
        self.errors = list(errors)


def _invalid(field_name: str, message: str) -> UserError:
    return UserError(UserErrorCode.INVALID_VALUE, field_name, message)


def validate_records(records: Sequence[CatalogueRecord]) -> list[UserError]:
    """Values the catalogue cannot hold, each error naming the field (`items[2].titles[0].lang`) and the value."""
    errors: list[UserError] = []
    if not records:
        errors.append(_invalid("items", "push at least one item"))
    if len(records) > MAX_ITEMS:
        errors.append(_invalid("items", f"push at most {MAX_ITEMS} items at once, not {len(records)}"))
    seen: set[str] = set()
    for n, record in enumerate(records):
        at = f"items[{n}]"
        if not record.source_id.strip() or len(record.source_id) > MAX_SOURCE_ID:
            errors.append(_invalid(f"{at}.sourceId", f"sourceId must be 1-{MAX_SOURCE_ID} characters"))
        elif record.source_id in seen:
            errors.append(_invalid(f"{at}.sourceId", f"sourceId {record.source_id!r} appears twice in one push"))
        seen.add(record.source_id)
        if not record.titles:
            errors.append(_invalid(f"{at}.titles", "an item needs at least one title"))
        for kind, texts in (("titles", record.titles), ("descriptions", record.descriptions)):
            for m, text in enumerate(texts):
                if not text.value.strip():
                    errors.append(_invalid(f"{at}.{kind}[{m}].value", f"{kind} must not be empty"))
                if text.lang != "und":
                    try:
                        validate_language(text.lang)
                    except UnknownLanguageError as exc:
                        errors.append(_invalid(f"{at}.{kind}[{m}].lang", str(exc)))
        country = record.origin_country
        if len(country) != 2 or not country.isalpha() or not country.isupper():
            errors.append(_invalid(f"{at}.originCountry", f"originCountry must be ISO 3166 like CN, not {country!r}"))
        if (
            record.earliest_year is not None
            and record.latest_year is not None
            and record.earliest_year > record.latest_year
        ):
            errors.append(
                _invalid(
                    f"{at}.earliestYear",
                    f"earliestYear {record.earliest_year} is after latestYear {record.latest_year}",
                )
            )
        for m, image in enumerate(record.images):
            for name, url in (("manifestUrl", image.manifest_url), ("imageUrl", image.image_url)):
                if url is not None and (urlsplit(url).scheme not in ("http", "https") or len(url) > MAX_URL):
                    errors.append(_invalid(f"{at}.images[{m}].{name}", f"{name} must be an http(s) URL, not {url!r}"))
    return errors


class CataloguePush:
    def __init__(self, sessions: SessionFactory, events: CatalogueEvents, sync: SyncService) -> None:
        self.sessions = sessions
        self.events = events
        self.sync = sync

    def _bound_institution(self, principal: Principal, institution: str | None) -> str:
        code = (institution or principal.institution or "").strip().upper()
        if not principal.may(CATALOGUE_WRITE, institution=code):
            own = principal.institution or "no institution"
            raise _Refusal(
                UserError(
                    UserErrorCode.FORBIDDEN,
                    "institution",
                    f"a {CATALOGUE_WRITE} token of {own} may not write the catalogue of {code or 'no institution'}",
                )
            )
        return code

    @staticmethod
    async def _institution(session: AsyncSession, code: str) -> Institution:
        row = await session.scalar(select(Institution).where(Institution.code == code))
        if row is None:
            raise _Refusal(UserError(UserErrorCode.NOT_FOUND, "institution", f"unknown institution {code!r}"))
        return row

    @staticmethod
    def _check_key(key: str | None) -> None:
        if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
            raise _Refusal(_invalid("idempotencyKey", f"idempotencyKey must be 1-{MAX_KEY_LENGTH} characters"))

    async def upsert(
        self,
        principal: Principal,
        institution: str | None,
        records: Sequence[CatalogueRecord],
        idempotency_key: str | None = None,
    ) -> PushOutcome:
        # The content, not the datestamp: a retry defaulting `updatedAt` to its own "now" is the same request.
        fingerprint = request_hash({"records": [[r.source_id, r.content_hash()] for r in records]})

        async def apply(session: AsyncSession, institution_row: Institution) -> tuple[ChangeSet, list[int]]:
            changes = await store_records(session, institution_row.id, records)
            ids = await self._ids(session, institution_row.id, [r.source_id for r in records])
            return changes, ids

        try:
            code = self._bound_institution(principal, institution)
            self._check_key(idempotency_key)
            errors = validate_records(records)
            if errors:
                raise _Refusal(*errors)
            return await self._transaction(principal, "upsertCatalogueItems", code, idempotency_key, fingerprint, apply)
        except _Refusal as refusal:
            return PushOutcome(errors=refusal.errors)

    async def delete(
        self,
        principal: Principal,
        institution: str | None,
        source_ids: Sequence[str],
        idempotency_key: str | None = None,
    ) -> PushOutcome:
        async def apply(session: AsyncSession, institution_row: Institution) -> tuple[ChangeSet, list[int]]:
            found = await self._existing(session, institution_row.id, source_ids)
            missing = [
                UserError(UserErrorCode.NOT_FOUND, f"sourceIds[{n}]", f"{institution_row.code} has no item {sid!r}")
                for n, sid in enumerate(source_ids)
                if sid not in found
            ]
            if missing:
                raise _Refusal(*missing)
            now = utc_now()
            changes = await store_records(session, institution_row.id, [Tombstone(sid, now) for sid in source_ids])
            return changes, [found[sid] for sid in source_ids]

        try:
            code = self._bound_institution(principal, institution)
            self._check_key(idempotency_key)
            if not source_ids or len(source_ids) > MAX_ITEMS:
                raise _Refusal(_invalid("sourceIds", f"delete 1-{MAX_ITEMS} items at once, not {len(source_ids)}"))
            fingerprint = request_hash({"sourceIds": sorted(source_ids)})
            return await self._transaction(principal, "deleteCatalogueItems", code, idempotency_key, fingerprint, apply)
        except _Refusal as refusal:
            return PushOutcome(errors=refusal.errors)

    async def _transaction(
        self,
        principal: Principal,
        operation: str,
        code: str,
        key: str | None,
        fingerprint: str,
        apply: Any,
    ) -> PushOutcome:
        """Runs `apply` in one transaction with the idempotency record; announces the changes once committed."""
        try:
            async with self.sessions.begin() as session:
                institution_row = await self._institution(session, code)
                if key is not None:
                    recalled = await recall(session, principal.key, operation, key, fingerprint)
                    if recalled is not None:
                        return PushOutcome(item_ids=list(recalled["item_ids"]), replayed=True)
                changes, ids = await apply(session, institution_row)
                if changes.written:
                    await append_entry(
                        session,
                        actor=principal.client_id or "anonymous",
                        action=f"catalogue.{operation}",
                        subject=f"institution:{institution_row.code}",
                        jurisdictions=[institution_row.country],
                        payload=changes.as_payload(),
                    )
                if key is not None:
                    remember(session, principal.key, operation, key, fingerprint, {"item_ids": ids})
        except IdempotencyKeyReusedError as exc:
            return PushOutcome(errors=[UserError(UserErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotencyKey", str(exc))])
        except IntegrityError:
            if key is None:
                raise
            # The same key was recorded concurrently: that request's change stands, this one rolled back.
            async with self.sessions() as session:
                recalled = await recall(session, principal.key, operation, key, fingerprint)
            if recalled is None:
                raise
            return PushOutcome(item_ids=list(recalled["item_ids"]), replayed=True)
        self._announce(code, changes)
        return PushOutcome(item_ids=ids)

    async def trigger_sync(self, principal: Principal, institution: str | None, full: bool = False) -> SyncOutcome:
        """Harvests the institution now (it must be a harvested partner)."""
        try:
            code = self._bound_institution(principal, institution)
            async with self.sessions() as session:
                row = await self._institution(session, code)
            if row.protocol is None:
                raise _Refusal(
                    UserError(UserErrorCode.NOT_HARVESTED, "institution", f"{code} is not harvested: push its items")
                )
        except _Refusal as refusal:
            return SyncOutcome(institution=institution, errors=refusal.errors)
        result = await self.sync.sync_partner(code, full)
        outcome = SyncOutcome(
            institution=code,
            ok=result.ok,
            pages=result.pages,
            added=len(result.changes.added),
            changed=len(result.changes.changed),
            removed=len(result.changes.removed),
            unchanged=result.changes.unchanged,
        )
        if not result.ok:
            outcome.errors.append(UserError(UserErrorCode.SYNC_FAILED, None, result.error or f"sync of {code} failed"))
        return outcome

    @staticmethod
    async def _existing(session: AsyncSession, institution_id: int, source_ids: Sequence[str]) -> dict[str, int]:
        rows = await session.execute(
            select(CatalogueItem.source_id, CatalogueItem.id).where(
                CatalogueItem.institution_id == institution_id, CatalogueItem.source_id.in_(list(source_ids))
            )
        )
        return {source_id: item_id for source_id, item_id in rows}

    async def _ids(self, session: AsyncSession, institution_id: int, source_ids: Sequence[str]) -> list[int]:
        found = await self._existing(session, institution_id, source_ids)
        return [found[sid] for sid in source_ids]

    def _announce(self, code: str, changes: ChangeSet) -> None:
        self.events.announce(code, changes)
