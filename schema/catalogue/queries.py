"""Catalogue queries: institutions, catalogue search, item and node lookups."""

from __future__ import annotations

import strawberry

from hub.auth.scopes import CATALOGUE_WRITE
from hub.catalogue.institutions import list_institutions
from hub.catalogue.query import CURSORS, CatalogueFilter, PageSelection, count_items, read_page
from hub.harvest.rejections import read_rejections
from schema.catalogue.rejected_records import RejectedRecordConnection
from schema.catalogue.types import (
    CatalogueItem,
    CatalogueItemConnection,
    CatalogueItemEdge,
    Institution,
    ItemKind,
    item_by_global_id,
    item_from_row,
)
from schema.core.context import Info
from schema.core.errors import domain_errors
from schema.core.ids import from_global_id
from schema.core.lookahead import selected_paths
from schema.core.permissions import requires
from schema.core.relay import Node, page_info


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="Every institution the hub knows, partners first.")
    async def institutions(self, info: Info) -> list[Institution]:
        async with info.context.hub.sessions() as session:
            rows = await list_institutions(session)
        return [Institution.from_row(row) for row in rows]

    @strawberry.field(
        description="Search across institutions and languages: `query` matches Chinese substrings and words "
        "in every language of an item; filters combine with AND."
    )
    async def catalogue(
        self,
        info: Info,
        query: str | None = None,
        institutions: list[str] | None = None,
        kinds: list[ItemKind] | None = None,  # type: ignore[valid-type]
        period: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> CatalogueItemConnection:
        flt = CatalogueFilter(query, institutions, kinds, period, year_from, year_to)
        wanted = selected_paths(info)
        selection = PageSelection(
            total_count="totalCount" in wanted,
            images="edges.node.images" in wanted,
            institutions="edges.node.institution" in wanted,
        )
        sessions = info.context.hub.sessions
        with domain_errors(info.context.accept_languages):
            page = await read_page(sessions, flt, first, after, selection)
        loaders = info.context.loaders.catalogue
        if page.images is not None:
            loaders.images.prime_many(page.images)
        if page.institutions is not None:
            loaders.institutions.prime_many(page.institutions)

        async def count() -> int:
            if page.total_count is not None:
                return page.total_count
            async with sessions() as session:
                return await count_items(session, flt)

        edges = [CatalogueItemEdge(cursor=CURSORS.encode(row.id), node=item_from_row(row)) for row in page.items]
        return CatalogueItemConnection(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], page.has_next_page, after),
            count=count,
        )

    @strawberry.field(
        description="Records the institution's partner sent that the hub set aside (newest first), with the reason; "
        "each stays until the partner sends it again in a usable form. Default: the token's institution.",
        permission_classes=[requires(CATALOGUE_WRITE)],
    )
    async def rejected_records(
        self, info: Info, institution: str | None = None, first: int | None = None, after: str | None = None
    ) -> RejectedRecordConnection:
        with domain_errors(info.context.accept_languages):
            async with info.context.hub.sessions() as session:
                page = await read_rejections(session, info.context.principal, institution, first, after)
        return RejectedRecordConnection.from_page(page, after)

    @strawberry.field(description="One live catalogue item by its global id.")
    async def item(self, info: Info, id: strawberry.ID) -> CatalogueItem | None:
        return await item_by_global_id(info, id)

    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, key = from_global_id(str(id))
        if type_name == "CatalogueItem":
            return await item_by_global_id(info, id)
        if type_name == "Institution":
            row = await info.context.loaders.catalogue.institutions_by_code.load(key)
            return Institution.from_row(row) if row else None
        return None
