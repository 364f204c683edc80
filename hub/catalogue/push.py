"""Partner push: an institution's own software upserts and deletes its catalogue items.

Pushed records go through the same store (normalisation, content hashes, tombstones) as harvested ones, in one
transaction per call together with the audit entry, and raise the same `catalogueChanges` events. The token's
institution binding is enforced here, whatever the schema checked before. A refused push raises `Refused`
with every reason found; nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.records import CatalogueRecord, LocalizedText, Tombstone
from hub.auth.principal import Principal
from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue.changes import CatalogueAction, ChangeSet, audit_changes
from hub.catalogue.events import CatalogueEvents
from hub.catalogue.institutions import institution_by_code
from hub.catalogue.models import CatalogueItem, Institution
from hub.catalogue.store import content_hash, store_records
from hub.core.clock import utc_now
from hub.core.i18n import UnknownLanguageError, validate_language
from hub.core.idempotency import MAX_KEY_LENGTH, recall_or_refuse, remember, request_hash
from hub.core.user_errors import CommonErrorCode, Refused, UserError, invalid_value
from hub.db import SessionFactory

MAX_ITEMS = 500
MAX_SOURCE_ID = 255
MAX_URL = 1024
UPSERT_OPERATION = "catalogue.upsert_items"
DELETE_OPERATION = "catalogue.delete_items"

Apply = Callable[[AsyncSession, Institution], Awaitable[tuple[ChangeSet, list[int]]]]
"""A push's change inside its transaction: what it did, and the ids of the items it names."""


@dataclass(frozen=True)
class _Request:
    principal: Principal
    operation: str
    """Under which name its idempotency key is kept."""
    action: str
    """The audit action of its change."""
    institution: str
    idempotency_key: str | None


@dataclass
class PushOutcome:
    item_ids: list[int] = field(default_factory=list)
    """Upsert: the pushed items as stored now. Delete: the items now deleted."""
    replayed: bool = False
    """The outcome of an earlier request with the same idempotency key: nothing was applied now."""


def _text_errors(at: str, kind: str, texts: Sequence[LocalizedText]) -> list[UserError]:
    errors: list[UserError] = []
    for m, text in enumerate(texts):
        if not text.value.strip():
            errors.append(invalid_value(f"{at}.{kind}[{m}].value", f"{kind} must not be empty"))
        if text.lang != "und":
            try:
                validate_language(text.lang)
            except UnknownLanguageError as exc:
                errors.append(invalid_value(f"{at}.{kind}[{m}].lang", str(exc)))
    return errors


def _record_errors(at: str, record: CatalogueRecord) -> list[UserError]:
    """Values of one record the catalogue cannot hold (its source id is checked by the caller)."""
    errors: list[UserError] = []
    if not record.titles:
        errors.append(invalid_value(f"{at}.titles", "an item needs at least one title"))
    errors += _text_errors(at, "titles", record.titles)
    errors += _text_errors(at, "descriptions", record.descriptions)
    country = record.origin_country
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        message = f"originCountry must be ISO 3166 like CN, not {country!r}"
        errors.append(invalid_value(f"{at}.origin_country", message))
    earliest, latest = record.earliest_year, record.latest_year
    if earliest is not None and latest is not None and earliest > latest:
        errors.append(invalid_value(f"{at}.earliest_year", f"earliestYear {earliest} is after latestYear {latest}"))
    for m, image in enumerate(record.images):
        for name, label, url in (
            ("manifest_url", "manifestUrl", image.manifest_url),
            ("image_url", "imageUrl", image.image_url),
        ):
            if url is not None and (urlsplit(url).scheme not in ("http", "https") or len(url) > MAX_URL):
                errors.append(invalid_value(f"{at}.images[{m}].{name}", f"{label} must be an http(s) URL, not {url!r}"))
    return errors


def validate_records(records: Sequence[CatalogueRecord]) -> list[UserError]:
    """Values the catalogue cannot hold, each error naming the field (`items[2].titles[0].lang`) and the value."""
    errors: list[UserError] = []
    if not records:
        errors.append(invalid_value("items", "push at least one item"))
    if len(records) > MAX_ITEMS:
        errors.append(invalid_value("items", f"push at most {MAX_ITEMS} items at once, not {len(records)}"))
    seen: set[str] = set()
    for n, record in enumerate(records):
        at = f"items[{n}]"
        if not record.source_id.strip() or len(record.source_id) > MAX_SOURCE_ID:
            errors.append(invalid_value(f"{at}.source_id", f"sourceId must be 1-{MAX_SOURCE_ID} characters"))
        elif record.source_id in seen:
            message = f"sourceId {record.source_id!r} appears twice in one push"
            errors.append(invalid_value(f"{at}.source_id", message))
        seen.add(record.source_id)
        errors += _record_errors(at, record)
    return errors


def _check_key(key: str | None) -> None:
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        raise Refused(invalid_value("idempotency_key", f"idempotencyKey must be 1-{MAX_KEY_LENGTH} characters"))


async def _item_ids(session: AsyncSession, institution_id: int, source_ids: Sequence[str]) -> dict[str, int]:
    """The ids of the institution's items (deleted ones too) by source id."""
    rows = await session.execute(
        select(CatalogueItem.source_id, CatalogueItem.id).where(
            CatalogueItem.institution_id == institution_id, CatalogueItem.source_id.in_(list(source_ids))
        )
    )
    return {source_id: item_id for source_id, item_id in rows}


class CataloguePush:
    def __init__(self, sessions: SessionFactory, events: CatalogueEvents) -> None:
        self.sessions = sessions
        self.events = events

    async def upsert(
        self,
        principal: Principal,
        institution: str | None,
        records: Sequence[CatalogueRecord],
        idempotency_key: str | None = None,
    ) -> PushOutcome:
        """Adds or replaces items of the institution, all or none."""
        code = principal.bound_to(CATALOGUE_WRITE, institution, "write the catalogue of")
        _check_key(idempotency_key)
        errors = validate_records(records)
        if errors:
            raise Refused(*errors)
        # The content, not the datestamp: a retry defaulting `updatedAt` to its own "now" is the same request.
        fingerprint = request_hash({"records": [[r.source_id, content_hash(r)] for r in records]})

        async def apply(session: AsyncSession, row: Institution) -> tuple[ChangeSet, list[int]]:
            changes = await store_records(session, row.id, records)
            ids = await _item_ids(session, row.id, [r.source_id for r in records])
            return changes, [ids[r.source_id] for r in records]

        request = _Request(principal, UPSERT_OPERATION, CatalogueAction.ITEMS_UPSERTED, code, idempotency_key)
        return await self._transaction(request, fingerprint, apply)

    async def delete(
        self,
        principal: Principal,
        institution: str | None,
        source_ids: Sequence[str],
        idempotency_key: str | None = None,
    ) -> PushOutcome:
        """Deletes items of the institution by their source ids, all or none."""
        code = principal.bound_to(CATALOGUE_WRITE, institution, "write the catalogue of")
        _check_key(idempotency_key)
        if not source_ids or len(source_ids) > MAX_ITEMS:
            raise Refused(invalid_value("source_ids", f"delete 1-{MAX_ITEMS} items at once, not {len(source_ids)}"))
        fingerprint = request_hash({"sourceIds": sorted(source_ids)})

        async def apply(session: AsyncSession, row: Institution) -> tuple[ChangeSet, list[int]]:
            found = await _item_ids(session, row.id, source_ids)
            missing = [
                UserError(CommonErrorCode.NOT_FOUND, f"source_ids[{n}]", f"{row.code} has no item {sid!r}")
                for n, sid in enumerate(source_ids)
                if sid not in found
            ]
            if missing:
                raise Refused(*missing)
            now = utc_now()
            changes = await store_records(session, row.id, [Tombstone(sid, now) for sid in source_ids])
            return changes, [found[sid] for sid in source_ids]

        request = _Request(principal, DELETE_OPERATION, CatalogueAction.ITEMS_DELETED, code, idempotency_key)
        return await self._transaction(request, fingerprint, apply)

    async def _transaction(self, request: _Request, fingerprint: str, apply: Apply) -> PushOutcome:
        """Runs `apply` in one transaction with its audit entry and idempotency record; announces the changes
        once committed."""
        principal, operation, key = request.principal, request.operation, request.idempotency_key
        try:
            async with self.sessions.begin() as session:
                row = await institution_by_code(session, request.institution)
                if key is not None:
                    recalled = await recall_or_refuse(session, principal.key, operation, key, fingerprint)
                    if recalled is not None:
                        return PushOutcome(item_ids=list(recalled["item_ids"]), replayed=True)
                changes, ids = await apply(session, row)
                actor = principal.client_id or "anonymous"
                await audit_changes(session, changes, actor, request.action, row.code, row.country)
                if key is not None:
                    remember(session, principal.key, operation, key, fingerprint, {"item_ids": ids})
        except IntegrityError:
            if key is None:
                raise
            # The same key was recorded concurrently: that request's change stands, this one rolled back.
            async with self.sessions() as session:
                recalled = await recall_or_refuse(session, principal.key, operation, key, fingerprint)
            if recalled is None:
                raise
            return PushOutcome(item_ids=list(recalled["item_ids"]), replayed=True)
        self.events.announce(request.institution, changes)
        return PushOutcome(item_ids=ids)
