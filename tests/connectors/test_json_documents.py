"""Reading JSON member by member gives what json.loads gives, and refuses what it refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from connectors.json_documents import ListTooLong, NotAnObject, RawItem, read_document, read_listing

DOCUMENTS = [
    '{"items": [{"id": "R-1", "title": {"zh": "开元通宝"}}, 2, "three", null, [4]], "next_page_token": "t"}',
    '  {\n "a" : 1 ,\t"items":[ ] , "b": {"items": [1]}}  ',
    '{"next_page_token": null, "items": [1.5, -2e3, true, false, "\\u00e9\\"\\\\"]}',
    "{}",
    '{"items": "not a list"}',
]


@pytest.mark.parametrize("text", DOCUMENTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_listing_gives_what_json_loads_gives(text: str, encoding: str) -> None:
    items: list[tuple[Any, RawItem]] = []
    listing = read_listing(text.encode(encoding), "items", lambda value, raw: items.append((value, raw)), 100)
    whole = json.loads(text)
    if isinstance(whole.get("items"), list):
        assert listing.items == len(whole["items"]) == len(items)
        assert [value for value, _ in items] == whole.pop("items")
        assert [json.loads(raw.excerpt()) for _, raw in items] == [value for value, _ in items]
        assert [raw.index for _, raw in items] == list(range(len(items)))
    else:
        assert listing.items is None and items == []
    assert listing.members == whole
    assert read_document(text.encode(encoding)) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"items": [1, 2,]}',
        '{"items": [1 2]}',
        '{"items": [1], }',
        '{"items" [1]}',
        "{'items': []}",
        '{"items": []} trailing',
        '{"items": [',
        "",
    ],
)
def test_malformed_document_raises_like_json_loads(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        read_listing(text.encode(), "items", lambda value, raw: None, 100)


def test_document_that_is_not_an_object_is_named_by_its_type() -> None:
    with pytest.raises(NotAnObject, match="expected a JSON object, got list"):
        read_listing(b"[1, 2]", "items", lambda value, raw: None, 100)
    assert read_document(b' [1, {"a": 2}] ') == [1, {"a": 2}]


def test_list_longer_than_allowed_stops_before_the_rest_is_read() -> None:
    seen: list[int] = []
    body = b'{"items": [' + b", ".join(b"%d" % n for n in range(1000)) + b"]}"
    with pytest.raises(ListTooLong, match='"items" holds more than 10 items'):
        read_listing(body, "items", lambda value, raw: seen.append(value), 10)
    assert seen == list(range(10))


def test_excerpt_of_a_long_item_is_its_start() -> None:
    raws: list[RawItem] = []
    read_listing(b'{"items": [{"text": "' + b"x" * 10_000 + b'"}]}', "items", lambda v, raw: raws.append(raw), 5)
    assert raws[0].excerpt(50) == '{"text": "' + "x" * 40
