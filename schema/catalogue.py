"""Catalogue queries: institutions, catalogue search, item and node lookups."""

from __future__ import annotations

import strawberry

from hub import catalogue_query
from hub.catalogue_query import CatalogueFilter, CatalogueQueryError
from schema.context import Info
from schema.errors import bad_argument
from schema.ids import from_global_id, item_pk
from schema.lookahead import selected_paths
from schema.relay import CatalogueItemConnection, CatalogueItemEdge, page_info
from schema.types import CatalogueItem, Institution, ItemKind, Node, item_from_row


async def _item(info: Info, id: strawberry.ID) -> CatalogueItem | None:
    pk = item_pk(str(id))
    if pk is None:
        return None
    row = await info.context.loaders.items.load(pk)
    return item_from_row(row) if row else None


@strawberry.type
class CatalogueQuery:
    @strawberry.field(description="Every institution the hub knows, partners first.")
    async def institutions(self, info: Info) -> list[Institution]:
        async with info.context.hub.sessions() as session:
            rows = await catalogue_query.all_institutions(session)
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
        loaders = info.context.loaders
        total: int | None = None
        try:
            async with info.context.hub.sessions() as session:
                page = await catalogue_query.search_items(session, flt, first, after)
                ids = [row.id for row in page.items]
                # Fetched in this one session rather than by the DataLoaders' own: same batching, fewer round trips.
                if "totalCount" in wanted:
                    total = await catalogue_query.count_items(session, flt)
                if ids and "edges.node.images" in wanted:
                    loaders.images.prime_many(await catalogue_query.images_by_item_ids(session, ids))
                if ids and "edges.node.institution" in wanted:
                    institution_ids = list({row.institution_id for row in page.items})
                    loaders.institutions.prime_many(await catalogue_query.institutions_by_ids(session, institution_ids))
        except CatalogueQueryError as exc:
            raise bad_argument(exc.field, str(exc)) from None

        async def count() -> int:
            if total is not None:
                return total
            async with info.context.hub.sessions() as session:
                return await catalogue_query.count_items(session, flt)

        edges = [
            CatalogueItemEdge(cursor=catalogue_query.encode_cursor(row.id), node=item_from_row(row))
            for row in page.items
        ]
        return CatalogueItemConnection(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], page.has_next_page, after),
            count=count,
        )

    @strawberry.field(description="One live catalogue item by its global id.")
    async def item(self, info: Info, id: strawberry.ID) -> CatalogueItem | None:
        return await _item(info, id)

    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        type_name, key = from_global_id(str(id))
        if type_name == "CatalogueItem":
            return await _item(info, id)
        if type_name == "Institution":
            row = await info.context.loaders.institutions_by_code.load(key)
            return Institution.from_row(row) if row else None
        return None
