"""Plans of the catalogue: `catalogue(...)` pages with their items (LibraryItem, MuseumObject), institutions,
images and texts, each field written the way its resolver in `schema/catalogue/types.py` answers it.

Not covered (the standard executor runs them): `item`, `node`, `institutions`, and the institution fields
that need queries of their own (itemCount, lastSyncedAt, syncStatus, lastSyncError).
"""

from __future__ import annotations

from binascii import b2a_base64
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any

from graphql import GraphQLEnumType, GraphQLField

from hub.catalogue.page_rows import ItemRecord, RowSelection
from hub.catalogue.query import CURSORS, CatalogueFilter
from hub.catalogue.vocabulary import ItemKind, is_library_item
from hub.core.i18n import choose_text, validate_language
from hub.core.user_errors import InvalidArgumentError
from schema.compiled.compiler import FIELD_PLANS, ROOT_PLANS, Builder, Compiler
from schema.compiled.plan import (
    Arguments,
    ByType,
    Fallback,
    FieldPlan,
    ListOf,
    Nested,
    ObjectPlan,
    PlanRequest,
    Read,
    Writer,
)
from schema.compiled.selection import CollectedField

TextsOf = Callable[[Any], list[dict[str, str]]]

_lang = itemgetter("lang")
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encoded(prefix: str) -> Callable[[object], str]:
    """`urlsafe_b64encode(f"{prefix}:{key}")`, as global ids and cursors are spelled, in fewer steps."""
    head = f"{prefix}:".encode()

    def encode(key: object) -> str:
        return b2a_base64(head + str(key).encode(), newline=False).translate(_URLSAFE).decode()

    return encode


item_id = encoded("CatalogueItem")
institution_id = encoded("Institution")
item_cursor = encoded(CURSORS.kind)


@dataclass(frozen=True)
class PageSource:
    """What a connection's fields read: the page's items and what the standard resolver knows about it."""

    items: list[ItemRecord]
    has_next_page: bool
    total_count: int | None
    after: str | None


@dataclass(frozen=True)
class NegotiatedText:
    """`title(lang:)`, `description(lang:)`, `name(lang:)`: the lang argument, else Accept-Language, else the
    fallback chain; `otherwise` stands in for a missing or empty text (None: the field may be null)."""

    arguments: Arguments
    texts: TextsOf
    own_language: Callable[[Any], str | None]
    otherwise: Writer | None

    def bind(self, request: PlanRequest) -> Writer:
        lang = self.arguments.of(request).get("lang")
        if lang is not None and not known_language(lang):
            raise Fallback
        accept, texts, own_language, otherwise = request.accept_languages, self.texts, self.own_language, self.otherwise
        positions: dict[tuple[str | None, ...], int | None] = {}
        """Which of the texts a reader gets, by their languages and the object's own: the items of a page
        mostly have the same languages, so `choose_text` runs about once a page."""

        def write(source: Any) -> Any:
            choices = texts(source)
            key = (*map(_lang, choices), own_language(source))
            position = positions.get(key, -1)
            if position == -1:
                chosen = choose_text(choices, lang, accept, key[-1])
                position = positions[key] = None if chosen is None else choices.index(chosen)
            value = None if position is None else choices[position]["value"]
            return value if otherwise is None else value or otherwise(source)

        return write


@lru_cache(maxsize=1024)
def known_language(tag: str) -> bool:
    try:
        validate_language(tag)
    except InvalidArgumentError:
        return False
    return True


def read(reader: Writer) -> Builder:
    return lambda _compiler, _field, _definition: Read(reader)


def negotiated(texts: TextsOf, own_language: Callable[[Any], str | None], otherwise: Writer | None) -> Builder:
    def build(_compiler: Compiler, field: CollectedField, definition: GraphQLField) -> FieldPlan:
        return NegotiatedText(Arguments(definition, field.nodes[0]), texts, own_language, otherwise)

    return build


def objects(type_name: str, reader: Callable[[Any], Any], need: str | None = None) -> Builder:
    """A list of objects of `type_name` (`need`: what the page must fetch for them)."""

    def build(compiler: Compiler, field: CollectedField, _definition: GraphQLField) -> FieldPlan:
        if need:
            compiler.needs.add(need)
        return ListOf(reader, compiler.object_plan(type_name, field))

    return build


def nested(type_name: str, reader: Writer, need: str | None = None) -> Builder:
    def build(compiler: Compiler, field: CollectedField, _definition: GraphQLField) -> FieldPlan:
        if need:
            compiler.needs.add(need)
        return Nested(reader, compiler.object_plan(type_name, field))

    return build


def enum_names(compiler: Compiler, type_name: str) -> dict[Any, str]:
    """The GraphQL names of an enum's values, by the value the database holds."""
    enum = compiler.schema.get_type(type_name)
    assert isinstance(enum, GraphQLEnumType)
    return {value.value: name for name, value in enum.values.items()}


def kind(compiler: Compiler, _field: CollectedField, _definition: GraphQLField) -> FieldPlan:
    names = enum_names(compiler, "ItemKind")
    return Read(lambda item: names[ItemKind(item.kind).value])


def relic_grade(compiler: Compiler, _field: CollectedField, _definition: GraphQLField) -> FieldPlan:
    names = enum_names(compiler, "RelicGrade")
    return Read(lambda item: names[item.relic_grade] if item.relic_grade else None)


RUNTIME_TYPES = {kind.value: "LibraryItem" if is_library_item(kind) else "MuseumObject" for kind in ItemKind}
"""The graph's type of an item by its kind (a kind the hub does not know fails, as in the standard resolvers)."""


def node(compiler: Compiler, field: CollectedField, _definition: GraphQLField) -> FieldPlan:
    """An edge's node: a LibraryItem or a MuseumObject by the item's kind."""
    plans: dict[str, FieldPlan] = {name: compiler.object_plan(name, field) for name in ("LibraryItem", "MuseumObject")}
    return ByType(lambda item: RUNTIME_TYPES[item.kind], plans)


no_language: Callable[[Any], str | None] = lambda _source: None  # noqa: E731

TEXT_FIELDS: dict[str, Builder] = {"lang": read(itemgetter("lang")), "value": read(itemgetter("value"))}
IMAGE_FIELDS: dict[str, Builder] = {
    "manifestUrl": read(attrgetter("manifest_url")),
    "imageUrl": read(attrgetter("image_url")),
    "label": read(attrgetter("label")),
}
INSTITUTION_FIELDS: dict[str, Builder] = {
    "id": read(lambda institution: institution_id(institution.code)),
    "code": read(attrgetter("code")),
    "country": read(attrgetter("country")),
    "name": negotiated(attrgetter("names"), no_language, attrgetter("code")),
    "names": objects("LocalizedText", attrgetter("names")),
}


def reading(builder: Builder, *columns: str) -> Builder:
    """`builder`, noting the item columns its writer reads (the page fetches only those)."""

    def build(compiler: Compiler, field: CollectedField, definition: GraphQLField) -> FieldPlan:
        compiler.needs.update(f"column:{column}" for column in columns)
        return builder(compiler, field, definition)

    return build


ITEM_FIELDS: dict[str, Builder] = {
    "id": read(lambda item: item_id(item.id)),
    "sourceId": reading(read(attrgetter("source_id")), "source_id"),
    "kind": kind,
    "creators": reading(read(attrgetter("creators")), "creators"),
    "period": reading(read(attrgetter("period")), "period"),
    "earliestYear": reading(read(attrgetter("earliest_year")), "earliest_year"),
    "latestYear": reading(read(attrgetter("latest_year")), "latest_year"),
    "originCountry": reading(read(attrgetter("origin_country")), "origin_country"),
    "material": reading(read(attrgetter("material")), "material"),
    "dimensions": reading(read(attrgetter("dimensions")), "dimensions"),
    "updatedAt": reading(read(lambda item: item.updated_at.isoformat()), "source_updated_at"),
    "title": reading(
        negotiated(attrgetter("titles"), attrgetter("language"), attrgetter("source_id")),
        "titles",
        "language",
        "source_id",
    ),
    "titles": reading(objects("LocalizedText", attrgetter("titles")), "titles"),
    "description": reading(
        negotiated(attrgetter("descriptions"), attrgetter("language"), None), "descriptions", "language"
    ),
    "descriptions": reading(objects("LocalizedText", attrgetter("descriptions")), "descriptions"),
    "institution": nested("Institution", attrgetter("institution"), "institutions"),
    "images": objects("Image", attrgetter("images"), "images"),
}
MUSEUM_FIELDS: dict[str, Builder] = ITEM_FIELDS | {
    "relicGrade": reading(relic_grade, "relic_grade"),
    "exportRestricted": reading(read(attrgetter("export_restricted")), "export_restricted"),
}


def _cursor(item: ItemRecord) -> str:
    return item_cursor(item.id)


def _edge_cursor(page: PageSource, index: int) -> str | None:
    return item_cursor(page.items[index].id) if page.items else None


def total_count(compiler: Compiler, _field: CollectedField, _definition: GraphQLField) -> FieldPlan:
    compiler.needs.add("total_count")
    return Read(attrgetter("total_count"))


FIELD_PLANS.update(
    {
        "LocalizedText": TEXT_FIELDS,
        "Image": IMAGE_FIELDS,
        "Institution": INSTITUTION_FIELDS,
        "LibraryItem": ITEM_FIELDS,
        "MuseumObject": MUSEUM_FIELDS,
        "CatalogueItemEdge": {"cursor": read(_cursor), "node": node},
        "PageInfo": {
            "hasNextPage": read(attrgetter("has_next_page")),
            "hasPreviousPage": read(lambda page: page.after is not None),
            "startCursor": read(lambda page: _edge_cursor(page, 0)),
            "endCursor": read(lambda page: _edge_cursor(page, -1)),
        },
        "CatalogueItemConnection": {
            "totalCount": total_count,
            "edges": objects("CatalogueItemEdge", attrgetter("items")),
            "pageInfo": nested("PageInfo", lambda page: page),
        },
    }
)


@dataclass(frozen=True)
class CataloguePlan:
    arguments: Arguments
    connection: ObjectPlan
    selection: RowSelection

    async def resolve(self, request: PlanRequest) -> Any:
        args = self.arguments.of(request)
        kinds = args.get("kinds")
        flt = CatalogueFilter(
            args.get("query"),
            args.get("institutions"),
            [ItemKind(k) for k in kinds] if kinds is not None else None,
            args.get("period"),
            args.get("yearFrom"),
            args.get("yearTo"),
        )
        write = self.connection.bind(request)
        after = args.get("after")
        try:
            rows = await request.pages.read_page(flt, args.get("first"), after, self.selection)
        except InvalidArgumentError:
            raise Fallback from None
        return write(PageSource(rows.items, rows.has_next_page, rows.total_count, after))


def catalogue(compiler: Compiler, field: CollectedField, definition: GraphQLField) -> CataloguePlan:
    compiler.needs.clear()
    connection = compiler.object_plan("CatalogueItemConnection", field)
    needs = compiler.needs
    columns = frozenset(need.removeprefix("column:") for need in needs if need.startswith("column:"))
    selection = RowSelection("total_count" in needs, "institutions" in needs, "images" in needs, columns)
    return CataloguePlan(Arguments(definition, field.nodes[0]), connection, selection)


ROOT_PLANS["catalogue"] = catalogue
