"""A catalogue page as plain rows, for the compiled read path: one statement (the count, the items and their
institutions together), compiled to SQL once per filter shape and run on the driver's own connections.

The filter, the paging and the errors are those of `query.read_page`; the statements are built from the same
`search_conditions`. Images, when selected, take a second statement.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, cast

import orjson
from sqlalchemy import Select, bindparam, func, null, select, true
from sqlalchemy.engine import Dialect

from hub.catalogue.models import CatalogueItem, Institution
from hub.catalogue.query import (
    CURSORS,
    CatalogueFilter,
    SearchBindings,
    SearchShape,
    search_bindings,
    search_conditions,
)
from hub.core.paging import page_size

MAX_STATEMENTS = 256
"""Compiled statements kept per reader (one per filter shape and selection), least recently used dropped."""

ITEM_COLUMNS = (
    CatalogueItem.id,
    CatalogueItem.institution_id,
    CatalogueItem.source_id,
    CatalogueItem.kind,
    CatalogueItem.language,
    CatalogueItem.titles,
    CatalogueItem.descriptions,
    CatalogueItem.creators,
    CatalogueItem.period,
    CatalogueItem.earliest_year,
    CatalogueItem.latest_year,
    CatalogueItem.origin_country,
    CatalogueItem.material,
    CatalogueItem.dimensions,
    CatalogueItem.relic_grade,
    CatalogueItem.export_restricted,
    CatalogueItem.source_updated_at,
)
INSTITUTION_COLUMNS = (Institution.code, Institution.names, Institution.country)
KEY_COLUMNS = frozenset({"id", "institution_id", "kind"})


@dataclass(frozen=True)
class RowSelection:
    """What the reader selected besides the items' own columns, and which of those it reads."""

    total_count: bool = False
    institutions: bool = False
    images: bool = False
    columns: frozenset[str] | None = None
    """The item columns read (by name; `id`, `institution_id` and `kind` always are); None: every one. The others
    come back as NULL: less for the driver to decode, the same row layout."""


def _json(value: Any) -> Any:
    """A JSON column as the driver hands it: text (asyncpg, SQLite) or already decoded."""
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value


class InstitutionRecord:
    __slots__ = ("code", "country", "names")

    def __init__(self, code: str, names: Any, country: str) -> None:
        self.code = code
        self.names: list[dict[str, str]] = _json(names)
        self.country = country


class ImageRecord:
    __slots__ = ("image_url", "label", "manifest_url")

    def __init__(self, manifest_url: str | None, image_url: str | None, label: str | None) -> None:
        self.manifest_url = manifest_url
        self.image_url = image_url
        self.label = label


class ItemRecord:
    """One live item of a page; its JSON columns are decoded when first read."""

    __slots__ = (
        "_creators",
        "_descriptions",
        "_titles",
        "_updated_at",
        "dimensions",
        "earliest_year",
        "export_restricted",
        "id",
        "images",
        "institution",
        "institution_id",
        "kind",
        "language",
        "latest_year",
        "material",
        "origin_country",
        "period",
        "relic_grade",
        "source_id",
    )

    def __init__(self, row: Sequence[Any], institution: InstitutionRecord | None) -> None:
        (
            self.id,
            self.institution_id,
            self.source_id,
            self.kind,
            self.language,
            self._titles,
            self._descriptions,
            self._creators,
            self.period,
            self.earliest_year,
            self.latest_year,
            self.origin_country,
            self.material,
            self.dimensions,
            self.relic_grade,
            export_restricted,
            self._updated_at,
        ) = row[: len(ITEM_COLUMNS)]
        self.export_restricted = bool(export_restricted)
        self.institution = institution
        self.images: list[ImageRecord] = []

    @property
    def titles(self) -> list[dict[str, str]]:
        if not isinstance(self._titles, list):
            self._titles = _json(self._titles)
        return self._titles

    @property
    def descriptions(self) -> list[dict[str, str]]:
        if not isinstance(self._descriptions, list):
            self._descriptions = _json(self._descriptions)
        return self._descriptions

    @property
    def creators(self) -> list[str]:
        if not isinstance(self._creators, list):
            self._creators = _json(self._creators)
        return self._creators

    @property
    def updated_at(self) -> datetime:
        """The partner's datestamp, in UTC (stored without a zone; SQLite hands it back as text)."""
        value = self._updated_at
        stamp = datetime.fromisoformat(value) if isinstance(value, str) else cast(datetime, value)
        return stamp.replace(tzinfo=UTC)


@dataclass
class PageRows:
    items: list[ItemRecord]
    has_next_page: bool
    total_count: int | None
    """Items matching the filter over all pages; None unless selected."""


class RowSource(Protocol):
    """Runs a compiled statement on a connection of its own; rows come back as tuples."""

    dialect: Dialect

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Sequence[Any]]: ...

    async def fetch_images(self, item_ids: list[int]) -> list[Sequence[Any]]: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    """The parameters in the order of their placeholders."""
    constants: dict[str, Any]
    """Parameters the statement fixes itself (SQLite's OFFSET 0)."""


class PageReader:
    """Catalogue pages as rows. Refuses bad arguments like `query.read_page` (InvalidArgumentError)."""

    def __init__(self, source: RowSource) -> None:
        self.source = source
        self._statements: OrderedDict[tuple[SearchShape, RowSelection, bool], _Compiled] = OrderedDict()

    @property
    def compiled_statements(self) -> int:
        return len(self._statements)

    async def read_page(
        self, flt: CatalogueFilter, first: int | None, after: str | None, selection: RowSelection
    ) -> PageRows:
        size = page_size(first)
        flt.validate()
        after_id = CURSORS.decode(after) if after is not None else None
        bindings = search_bindings(flt)
        compiled = self._compiled(bindings.shape, selection, after_id is not None, bindings.values)
        values = compiled.constants | bindings.values | {"after_id": after_id, "row_limit": size + 1}
        rows = await self.source.fetch(compiled.sql, [values[name] for name in compiled.names])
        return await self._page(rows, size, selection)

    async def _page(self, rows: list[Sequence[Any]], size: int, selection: RowSelection) -> PageRows:
        total = int(rows[0][0]) if selection.total_count and rows else None
        if selection.total_count:
            rows = [row[1:] for row in rows if row[1] is not None]
        institutions: dict[int, InstitutionRecord] = {}
        items = []
        width = len(ITEM_COLUMNS)
        for row in rows[:size]:
            institution = None
            if selection.institutions:
                institution = institutions.get(row[1])
                if institution is None:
                    institution = institutions[row[1]] = InstitutionRecord(*row[width : width + 3])
            items.append(ItemRecord(row, institution))
        if selection.images and items:
            by_id = {item.id: item for item in items}
            for item_id, manifest_url, image_url, label in await self.source.fetch_images(list(by_id)):
                by_id[item_id].images.append(ImageRecord(manifest_url, image_url, label))
        return PageRows(items, len(rows) > size, total)

    def _compiled(self, shape: SearchShape, selection: RowSelection, after: bool, values: dict[str, Any]) -> _Compiled:
        key = (shape, selection, after)
        compiled = self._statements.get(key)
        if compiled is None:
            statement = page_statement(values, shape, selection, after)
            result = statement.compile(dialect=self.source.dialect)
            names = tuple(result.positiontup or ())
            constants = {name: value for name, value in result.params.items() if name not in values}
            compiled = _Compiled(str(result), names, constants)
            self._statements[key] = compiled
            if len(self._statements) > MAX_STATEMENTS:
                self._statements.popitem(last=False)
        else:
            self._statements.move_to_end(key)
        return compiled

    async def close(self) -> None:
        await self.source.close()


def page_statement(values: dict[str, Any], shape: SearchShape, selection: RowSelection, after: bool) -> Select[Any]:
    """The page (one row more than asked), then its institutions joined to those rows only, the count over all
    pages in front: [total,] item columns[, institution columns]."""
    conditions = search_conditions(SearchBindings(shape, values))
    wanted = selection.columns
    items = [
        c if wanted is None or c.key in wanted or c.key in KEY_COLUMNS else null().label(c.key) for c in ITEM_COLUMNS
    ]
    page = select(*items).where(*conditions)
    if after:
        page = page.where(CatalogueItem.id > bindparam("after_id", type_=CatalogueItem.id.type))
    page = page.order_by(CatalogueItem.id).limit(bindparam("row_limit", type_=CatalogueItem.id.type))
    if not selection.total_count and not selection.institutions:
        return page
    rows = page.subquery("page")
    columns: list[Any] = list(rows.c)
    source: Any = rows
    if selection.total_count:
        total = select(func.count(CatalogueItem.id).label("total")).where(*conditions).subquery("total")
        columns.insert(0, total.c.total)
        source = total.outerjoin(rows, true())
    if selection.institutions:
        columns += INSTITUTION_COLUMNS
        source = source.outerjoin(Institution, Institution.id == rows.c.institution_id)
    return select(*columns).select_from(source).order_by(rows.c.id)
