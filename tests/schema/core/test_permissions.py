"""Who may do what: every mutation and protected query against every scope and binding.

The table is the contract; a new operation adds a row (and its request below), a new kind of caller a column.
Cells: `allow`; `scope` = refused before any work, top-level error FORBIDDEN naming the scope;
`binding` = the service refuses (the scope is right, the institution or jurisdiction is not): a payload error
FORBIDDEN for mutations, a top-level FORBIDDEN naming no scope for queries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from hub.app import Hub
from hub.catalogue.models import CatalogueItem
from schema.core.ids import to_global_id
from tests import records
from tests.auth_support import bearer, mint_token
from tests.records import store
from tests.support import graphql

TABLE = """
operation              anonymous  nlc-trade  nlc-catalogue  twmm-catalogue  cn-regulator  fr-regulator  admin
upsertCatalogueItems   scope      scope      allow          binding         scope         scope         scope
deleteCatalogueItems   scope      scope      allow          binding         scope         scope         scope
triggerSync            scope      scope      allow          binding         scope         scope         scope
catalogue              allow      allow      allow          allow           allow         allow         allow
item                   allow      allow      allow          allow           allow         allow         allow
auditLog               scope      scope      scope          scope           allow         binding       scope
setFxRate              scope      scope      scope          scope           scope         scope         allow
fxRates                allow      allow      allow          allow           allow         allow         allow
escrowBalances         scope      allow      scope          scope           scope         scope         scope
createListing          scope      allow      scope          scope           scope         scope         scope
withdrawListing        scope      allow      scope          scope           scope         scope         scope
placeOffer             scope      allow      scope          scope           scope         scope         scope
withdrawOffer          scope      allow      scope          scope           scope         scope         scope
acceptOffer            scope      allow      scope          scope           scope         scope         scope
cancelTransfer         scope      allow      scope          scope           scope         scope         scope
listings               allow      allow      allow          allow           allow         allow         allow
transfers              scope      allow      scope          scope           allow         allow         scope
transfer               scope      allow      scope          scope           allow         allow         scope
decideExportLicence    scope      scope      scope          scope           allow         allow         scope
fileCustomsDeclaration scope      allow      scope          scope           scope         scope         scope
clearCustoms           scope      scope      scope          scope           allow         allow         scope
confirmDelivery        scope      allow      scope          scope           scope         scope         scope
complianceCheck        allow      allow      allow          allow           allow         allow         allow
transferClearance      scope      allow      scope          scope           allow         allow         scope
clearanceQueue         scope      scope      scope          scope           allow         allow         scope
registerProvenance     scope      scope      allow          binding         scope         scope         scope
ledgerAnchors          scope      scope      scope          scope           allow         allow         scope
"""

CALLERS: dict[str, tuple[str, str | None, str | None] | None] = {
    "anonymous": None,
    "nlc-trade": ("trade:read trade:write", "NLC", None),
    "nlc-catalogue": ("catalogue:write", "NLC", None),
    "twmm-catalogue": ("catalogue:write", "TWMM", None),
    "cn-regulator": ("licence:issue customs:clear audit:read", None, "CN"),
    "fr-regulator": ("licence:issue customs:clear audit:read", None, "FR"),
    "admin": ("hub:admin", None, None),
}


TRANSFER_READERS = "trade:read licence:issue customs:clear audit:read"
"""The scopes that open transfers: the parties' and the regulators'."""
NLC_BOOK = "Q2F0YWxvZ3VlSXRlbTox"
"""The first item stored: NLC's book (stored by every matrix test)."""
NLC_BOOK_SOURCE = records.SOGDIAN_BOOK.source_id
TRADING = {
    "createListing": {"itemId": NLC_BOOK, "askingPrice": {"amount": "9000", "currency": "CNY"}},
    "withdrawListing": {"listingId": "TGlzdGluZzox"},
    "placeOffer": {
        "listingId": "TGlzdGluZzox",
        "amount": {"amount": "100", "currency": "EUR"},
        "expiresAt": "2099-01-01T00:00:00Z",
    },
    "withdrawOffer": {"offerId": "T2ZmZXI6MQ=="},
    "acceptOffer": {"offerId": "T2ZmZXI6MQ=="},
    "cancelTransfer": {"transferId": "VHJhbnNmZXI6MQ=="},
}
"""Inputs that pass the scope and the binding of an NLC trader (a NOT_FOUND refusal then counts as allowed)."""


CLEARANCE = {
    "decideExportLicence": ("licence:issue", {"transferId": "VHJhbnNmZXI6MQ==", "document": "X", "grant": False}),
    "fileCustomsDeclaration": (
        "trade:write",
        {
            "transferId": "VHJhbnNmZXI6MQ==",
            "hsCode": "9701",
            "declaredValue": {"amount": "1", "currency": "EUR"},
            "originCountry": "CN",
            "destinationCountry": "FR",
            "consignor": "a",
            "consignee": "b",
        },
    ),
    "clearCustoms": ("customs:clear", {"transferId": "VHJhbnNmZXI6MQ==", "verdict": "CLEAR"}),
    "confirmDelivery": ("trade:write", {"transferId": "VHJhbnNmZXI6MQ=="}),
}
"""Clearance inputs naming no transfer: past the scope and the token's binding, refused TRANSFER_NOT_FOUND."""


def trading_mutation(name: str) -> str:
    kind = name[0].upper() + name[1:] + "Input"
    return f"mutation($input: {kind}!) {{ {name}(input: $input) {{ errors {{ code field message }} }} }}"


@dataclass(frozen=True)
class Operation:
    query: str
    variables: dict[str, Any]
    scope: str | None = None
    prepare: Callable[[Hub], Awaitable[dict[str, Any]]] | None = None
    """Variables that depend on the database (ids differ on PostgreSQL, whose sequences are not reset)."""


async def book_variables(hub: Hub) -> dict[str, Any]:
    async with hub.sessions() as session:
        book = await session.scalar(select(CatalogueItem.id).where(CatalogueItem.source_id == NLC_BOOK_SOURCE))
    return {"id": to_global_id("CatalogueItem", int(book or 0))}


async def book_input(hub: Hub) -> dict[str, Any]:
    return {"input": {"itemId": (await book_variables(hub))["id"]}}


OPERATIONS = {
    "upsertCatalogueItems": Operation(
        """mutation($input: UpsertCatalogueItemsInput!) {
             upsertCatalogueItems(input: $input) { items { id } errors { code field message } } }""",
        {
            "input": {
                "institution": "NLC",
                "items": [{"sourceId": "NLC-M-2", "kind": "BOOK", "titles": [{"lang": "en", "value": "Atlas"}]}],
            }
        },
        "catalogue:write",
    ),
    "deleteCatalogueItems": Operation(
        """mutation($input: DeleteCatalogueItemsInput!) {
             deleteCatalogueItems(input: $input) { deletedIds errors { code field message } } }""",
        {"input": {"institution": "NLC", "sourceIds": [records.SOGDIAN_BOOK.source_id]}},
        "catalogue:write",
    ),
    "triggerSync": Operation(
        """mutation($input: TriggerSyncInput!) {
             triggerSync(input: $input) { sync { ok } errors { code field message } } }""",
        {"input": {"institution": "NLC"}},
        "catalogue:write",
    ),
    "catalogue": Operation('{ catalogue(institutions: ["NLC"]) { totalCount } }', {}),
    "item": Operation("query($id: ID!) { item(id: $id) { sourceId } }", {"id": "Q2F0YWxvZ3VlSXRlbTox"}),
    "auditLog": Operation('query { auditLog(jurisdiction: "CN") { edges { node { seq action } } } }', {}, "audit:read"),
    "setFxRate": Operation(
        """mutation($input: SetFxRateInput!) { setFxRate(input: $input) { fxRate { rate } errors { code } } }""",
        {"input": {"base": "EUR", "quote": "CNY", "rate": "8.2", "source": "ECB"}},
        "hub:admin",
    ),
    "fxRates": Operation("{ fxRates { base quote rate } }", {}),
    "escrowBalances": Operation('{ escrowBalances(institution: "NLC") { currency } }', {}, "trade:read"),
    **{name: Operation(trading_mutation(name), {"input": input}, "trade:write") for name, input in TRADING.items()},
    "listings": Operation("{ listings { totalCount } }", {}),
    "transfers": Operation("{ transfers { totalCount } }", {}, TRANSFER_READERS),
    "transfer": Operation('{ transfer(id: "VHJhbnNmZXI6MQ==") { id } }', {}, TRANSFER_READERS),
    **{name: Operation(trading_mutation(name), {"input": input}, scope) for name, (scope, input) in CLEARANCE.items()},
    "complianceCheck": Operation(
        'query($id: ID!) { complianceCheck(itemId: $id, destination: "FR") { outcome } }', {}, prepare=book_variables
    ),
    "transferClearance": Operation(
        '{ transferClearance(transferId: "VHJhbnNmZXI6MQ==") { dueBy } }', {}, TRANSFER_READERS
    ),
    "clearanceQueue": Operation(
        "{ clearanceQueue(queue: AWAITING_DECISION) { totalCount } }", {}, "licence:issue customs:clear audit:read"
    ),
    "registerProvenance": Operation(
        """mutation($input: RegisterProvenanceInput!) {
             registerProvenance(input: $input) { created errors { code field message } } }""",
        {},
        "catalogue:write",
        prepare=book_input,
    ),
    "ledgerAnchors": Operation("{ ledgerAnchors { checkpointSize chain state } }", {}, "audit:read"),
}


def _table() -> list[tuple[str, str, str]]:
    header, *rows = [line.split() for line in TABLE.strip().splitlines()]
    return [(row[0], caller, cell) for row in rows for caller, cell in zip(header[1:], row[1:], strict=True)]


def test_permissions_table_covers_every_mutation_and_caller() -> None:
    from schema.app import schema

    mutations = set(schema._schema.mutation_type.fields)  # type: ignore[union-attr]
    assert mutations <= {operation for operation, _, _ in _table()}, "add new mutations to TABLE"
    assert {caller for _, caller, _ in _table()} == set(CALLERS)


def _outcome(body: dict[str, Any], operation: str) -> str:
    errors = body.get("errors") or []
    forbidden = [e.get("extensions", {}) for e in errors if e.get("extensions", {}).get("code") == "FORBIDDEN"]
    if forbidden:
        # A query has no payload: a binding refusal is a top-level FORBIDDEN that names no scope.
        return "scope" if "scope" in forbidden[0] else "binding"
    assert not errors, body
    payload = body["data"][operation]
    if isinstance(payload, dict) and any(e["code"] == "FORBIDDEN" for e in payload.get("errors", [])):
        return "binding"
    return "allow"


def _rows() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for operation, caller, cell in _table():
        rows.setdefault(operation, {})[caller] = cell
    return rows


@pytest.mark.parametrize(("operation", "expected"), list(_rows().items()), ids=list(_rows()))
async def test_permissions_matrix(
    hub: Hub, client: httpx.AsyncClient, operation: str, expected: dict[str, str]
) -> None:
    """One row of the table: every caller in turn on one hub (what one caller is allowed to do never changes
    what the next one may)."""
    await store(hub, "NLC", [records.SOGDIAN_BOOK])
    spec = OPERATIONS[operation]
    outcomes = {}
    for caller, grant in CALLERS.items():
        headers = bearer(await mint_token(hub, *grant)) if grant else {}
        variables = await spec.prepare(hub) if spec.prepare else spec.variables
        body = await graphql(client, spec.query, variables, **headers)
        outcomes[caller] = _outcome(body, operation)
        if outcomes[caller] == "scope" and expected[caller] == "scope":
            (error,) = body["errors"]
            assert error["extensions"] == {"code": "FORBIDDEN", "scope": spec.scope}
            assert repr(spec.scope) in error["message"]
            assert body["data"] in (None, {operation: None})  # a nullable field is null, else the whole data
    assert outcomes == expected


async def test_permissions_scope_is_checked_before_any_work(hub: Hub, client: httpx.AsyncClient) -> None:
    spec = OPERATIONS["upsertCatalogueItems"]
    body = await graphql(client, spec.query, spec.variables)
    assert _outcome(body, "upsertCatalogueItems") == "scope"
    assert (await graphql(client, OPERATIONS["catalogue"].query))["data"]["catalogue"]["totalCount"] == 0
