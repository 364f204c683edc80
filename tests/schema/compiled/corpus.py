"""A catalogue with variety for the compiled reads' tests, and a hypothesis strategy of operations over the
catalogue subset of the graph: fields, aliases, arguments (bad ones too), fragments, variables, directives,
Accept-Language headers and tokens with and without scopes."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText, RelicGrade, Tombstone
from hub.app import Hub
from tests import records

LANGUAGES = ("zh", "en", "fr", "zh-Hant", "und", "ja")
KINDS = [kind.name for kind in ItemKind]
ACCEPT_LANGUAGES = ("en", "fr-CA", "de;q=0.9, en;q=0.5, fr;q=0.7", "zh-Hant", "ar", "*", "ja;q=0", "zh-TW, en")
TOKENS = ("audit", "push", "bad")
"""Tokens a case may send: audit:read for CN, catalogue:write for NLC, and one that is not a token."""


def varied_records(institution: int) -> list[CatalogueRecord]:
    """Items of every kind, with texts in several languages (or none), images, grades, missing years."""
    out = []
    for n in range(12):
        kind = list(ItemKind)[(n + institution * 5) % len(ItemKind)]
        langs = LANGUAGES[n % 3 : n % 3 + 1 + n % 4]
        titles = tuple(LocalizedText(lang, f"{lang} title {institution}-{n}" if n % 7 else "") for lang in langs)
        out.append(
            CatalogueRecord(
                source_id=f"V{institution}-{n:03d}",
                kind=kind,
                titles=titles,
                updated_at=datetime(2024, 1 + n % 12, 1 + n, 9, n, tzinfo=UTC),
                descriptions=tuple(LocalizedText(lang, f"about {n} in {lang}") for lang in langs[1:]),
                creators=tuple(f"maker {m}" for m in range(n % 3)),
                period=("Tang", "唐代", "Han dynasty", None, "Song")[n % 5],
                earliest_year=None if n % 6 == 5 else 600 + 40 * n - 300 * institution,
                latest_year=None if n % 4 == 3 else 700 + 40 * n - 300 * institution,
                origin_country=("CN", "FR")[n % 2],
                material=("bronze", None)[n % 2],
                dimensions=("h. 20 cm", None, "")[n % 3],
                relic_grade=(None, RelicGrade.GRADE_1, RelicGrade.GENERAL, RelicGrade.UNGRADED)[n % 4],
                export_restricted=n % 3 == 0,
                images=tuple(
                    ImageRef(f"https://iiif.example.org/{institution}/{n}/{m}", None if m else "https://img/x", "p")
                    for m in range(n % 3)
                ),
            )
        )
    return out


async def store_variety(hub: Hub) -> None:
    await records.store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR])
    await records.store(hub, "CRECC", [records.CAMEL_GROOM, records.SILVER_CUP])
    await records.store(hub, "NLC", [records.SOGDIAN_BOOK])
    for index, code in enumerate(("NLC", "CRECC", "TWMM")):
        await records.store(hub, code, varied_records(index))
    await records.store(hub, "CRECC", [Tombstone("V1-004", records.STAMP)])


@dataclass
class Case:
    query: str
    variables: dict[str, Any]
    headers: list[tuple[str, str]]
    covered: bool = True
    """Every field and construct is one the plan compiler covers."""
    may_hand_back: bool = False
    """A plan may hand it to the standard executor although that answers without errors (a bad lang)."""
    token: str | None = None
    """The name of the token to send (one of TOKENS), or None."""


def cursor(kind: str, key: object) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


class Builder:
    """Collects variable definitions while an operation is drawn."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.definitions: list[str] = []
        self.variables: dict[str, Any] = {}
        self.fragments: dict[str, str] = {}
        self.covered = True
        self.may_hand_back = False

    def argument(self, name: str, graphql_type: str, value: Any, enum: bool = False) -> str:
        if self.draw(st.booleans()):
            variable = f"v{len(self.definitions)}"
            self.definitions.append(f"${variable}: {graphql_type}")
            self.variables[variable] = value
            return f"{name}: ${variable}"
        return f"{name}: {literal(value, enum)}"

    def alias(self, name: str) -> str:
        return self.draw(st.sampled_from(["", "", "", f"{name}Alias: ", "x: "]))

    def uncovered(self, text: str) -> str:
        self.covered = False
        return text


def literal(value: Any, enum: bool = False) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, enum) for v in value) + "]"
    if enum and isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if value is not None else "null"


def lang_argument(b: Builder) -> str:
    lang = b.draw(st.sampled_from([None, None, "en", "zh", "fr", "zh-Hant-TW", "", "qq-ZZ", "x!"]))
    if lang is None:
        return ""
    if lang in ("qq-ZZ", "x!", ""):
        b.may_hand_back = True
    return "(" + b.argument("lang", "String", lang) + ")"


def institution_selection(b: Builder) -> str:
    fields = b.draw(st.lists(st.sampled_from(["id", "code", "country", "name", "names", "__typename"]), min_size=1))
    parts = []
    for name in fields:
        if name == "name":
            parts.append(f"{b.alias('name')}name{lang_argument(b)}")
        elif name == "names":
            parts.append("names { lang value }")
        else:
            parts.append(f"{b.alias(name)}{name}")
    if b.draw(st.integers(0, 9)) == 0:
        parts.append(b.uncovered(b.draw(st.sampled_from(["itemCount", "syncStatus", "lastSyncedAt"]))))
    return "{ " + " ".join(parts) + " }"


ITEM_SCALARS = [
    "id",
    "sourceId",
    "kind",
    "creators",
    "period",
    "earliestYear",
    "latestYear",
    "originCountry",
    "material",
    "dimensions",
    "updatedAt",
    "__typename",
]


def item_selection(b: Builder) -> str:
    choices = [*ITEM_SCALARS, "title", "description", "titles", "descriptions", "institution", "images", "museum"]
    choices += ["library", "node", "fragment", "include"]
    parts = []
    for name in b.draw(st.lists(st.sampled_from(choices), min_size=1, max_size=8)):
        if name in ("title", "description"):
            parts.append(f"{b.alias(name)}{name}{lang_argument(b)}")
        elif name in ("titles", "descriptions"):
            parts.append(f"{b.alias(name)}{name} {{ lang value __typename }}")
        elif name == "institution":
            parts.append(f"{b.alias(name)}institution {institution_selection(b)}")
        elif name == "images":
            parts.append(f"{b.alias(name)}images {{ manifestUrl imageUrl label }}")
        elif name == "museum":
            parts.append("... on MuseumObject { relicGrade exportRestricted sourceId }")
        elif name == "library":
            parts.append("... on LibraryItem { creators kind }")
        elif name == "node":
            parts.append("... on Node { id __typename }")
        elif name == "fragment":
            b.fragments["ItemParts"] = "fragment ItemParts on CatalogueItem { sourceId kind title }"
            parts.append("...ItemParts")
        elif name == "include":
            parts.append(b.uncovered("period @include(if: true)"))
        else:
            parts.append(f"{b.alias(name)}{name}")
    return "{ " + " ".join(parts) + " }"


def catalogue_arguments(b: Builder) -> str:
    args = []
    if b.draw(st.booleans()):
        query = b.draw(st.sampled_from(["sancai", "三彩", "camel GROOM", "%", "_", "\\", "", "  ", "title 1-", "en"]))
        args.append(b.argument("query", "String", query))
    if b.draw(st.integers(0, 3)) == 0:
        codes = b.draw(st.lists(st.sampled_from(["NLC", "crecc", "TWMM", "XX"]), max_size=3))
        args.append(b.argument("institutions", "[String!]", codes))
    if b.draw(st.integers(0, 3)) == 0:
        kinds = b.draw(st.lists(st.sampled_from(KINDS), max_size=3))
        args.append(b.argument("kinds", "[ItemKind!]", kinds, enum=True))
    if b.draw(st.integers(0, 3)) == 0:
        period = b.draw(st.sampled_from(["Tang", "唐", "han", "", "Ming dynasty", "song", "%"]))
        args.append(b.argument("period", "String", period))
    for name in ("yearFrom", "yearTo"):
        if b.draw(st.integers(0, 3)) == 0:
            args.append(b.argument(name, "Int", b.draw(st.sampled_from([-300, 0, 618, 700, 907, 2000]))))
    if b.draw(st.booleans()):
        args.append(b.argument("first", "Int", b.draw(st.sampled_from([-1, 0, 1, 2, 5, 20, 100, 101]))))
    if b.draw(st.integers(0, 2)) == 0:
        after = b.draw(st.sampled_from([cursor("item", 3), cursor("item", 12), cursor("entry", 3), "garbage", ""]))
        args.append(b.argument("after", "String", after))
    return "(" + ", ".join(args) + ")" if args else ""


def connection_selection(b: Builder) -> str:
    choices = ["totalCount", "edges", "edges", "pageInfo", "__typename", "cursorOnly"]
    parts = []
    for name in b.draw(st.lists(st.sampled_from(choices), min_size=1, max_size=4)):
        if name == "edges":
            parts.append(f"{b.alias('edges')}edges {{ cursor node {item_selection(b)} }}")
        elif name == "cursorOnly":
            parts.append("edges { cursor __typename }")
        elif name == "pageInfo":
            fields = b.draw(
                st.lists(st.sampled_from(["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"]), min_size=1)
            )
            parts.append("pageInfo { " + " ".join(fields) + " }")
        else:
            parts.append(f"{b.alias(name)}{name}")
    return "{ " + " ".join(parts) + " }"


@st.composite
def operations(draw: st.DrawFn) -> Case:
    b = Builder(draw)
    roots = [f"catalogue{catalogue_arguments(b)} {connection_selection(b)}"]
    extra = draw(st.integers(0, 9))
    if extra == 0:
        roots.append(f"second: catalogue{catalogue_arguments(b)} {connection_selection(b)}")
    elif extra == 1:
        roots.append("__typename")
    elif extra == 2:
        roots.append(b.uncovered("auditLog(first: 2) { jurisdiction edges { node { seq action } } }"))
    elif extra == 3:
        roots.append(b.uncovered("institutions { code }"))
    name = draw(st.sampled_from(["", "Page"]))
    definitions = f"({', '.join(b.definitions)})" if b.definitions else ""
    operation = f"query {name}{definitions} {{ {' '.join(roots)} }}"
    if not name and not definitions and draw(st.booleans()):
        operation = f"{{ {' '.join(roots)} }}"
    query = "\n".join([operation, *b.fragments.values()])
    headers = []
    language = draw(st.sampled_from([None, *ACCEPT_LANGUAGES]))
    if language is not None:
        headers.append(("Accept-Language", language))
        if draw(st.integers(0, 5)) == 0:
            headers.append(("Accept-Language", "fr"))  # repeated: the first one counts
    token = draw(st.sampled_from([None, None, *TOKENS]))
    return Case(query, b.variables, headers, b.covered, b.may_hand_back, token)
