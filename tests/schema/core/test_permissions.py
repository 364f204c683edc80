"""Who may do what: every mutation and protected query against every scope and binding.

The table is the contract; a new operation adds a row (and its request below), a new kind of caller a column.
Cells: `allow`; `scope` = refused before any work, top-level error FORBIDDEN naming the scope;
`binding` = the service refuses (the scope is right, the institution or jurisdiction is not): a payload error
FORBIDDEN for mutations, a top-level FORBIDDEN naming no scope for queries.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Operation:
    query: str
    variables: dict[str, Any]
    scope: str | None = None


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
    "registerProvenance": Operation(
        """mutation($input: RegisterProvenanceInput!) {
             registerProvenance(input: $input) { created errors { code field message } } }""",
        {"input": {"itemId": "Q2F0YWxvZ3VlSXRlbTox"}},
        "catalogue:write",
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


@pytest.mark.parametrize(("operation", "caller", "expected"), _table())
async def test_permissions_matrix(
    hub: Hub, client: httpx.AsyncClient, operation: str, caller: str, expected: str
) -> None:
    await store(hub, "NLC", [records.SOGDIAN_BOOK])
    spec = OPERATIONS[operation]
    grant = CALLERS[caller]
    headers = bearer(await mint_token(hub, *grant)) if grant else {}
    variables = spec.variables
    if operation == "registerProvenance":  # the stored item's own id (PostgreSQL's ids do not restart at 1)
        async with hub.sessions() as session:
            wanted = CatalogueItem.source_id == records.SOGDIAN_BOOK.source_id
            book = await session.scalar(select(CatalogueItem.id).where(wanted))
        variables = {"input": {"itemId": to_global_id("CatalogueItem", int(book or 0))}}
    body = await graphql(client, spec.query, variables, **headers)
    assert _outcome(body, operation) == expected, body
    if expected == "scope":
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "FORBIDDEN", "scope": spec.scope}
        assert repr(spec.scope) in error["message"]
        assert body["data"] is None


async def test_permissions_scope_is_checked_before_any_work(hub: Hub, client: httpx.AsyncClient) -> None:
    spec = OPERATIONS["upsertCatalogueItems"]
    body = await graphql(client, spec.query, spec.variables)
    assert _outcome(body, "upsertCatalogueItems") == "scope"
    assert (await graphql(client, OPERATIONS["catalogue"].query))["data"]["catalogue"]["totalCount"] == 0
