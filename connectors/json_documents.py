"""JSON documents read value by value with the standard library's scanner.

`json.loads` holds the GIL for a whole document, so parsing a large one in a worker thread would
still stall the event loop. Here a document's top-level members, and the items of its one long list,
are decoded one at a time: the thread offers the GIL between them, each list item goes to a callback
as soon as it is read (and can be normalised and dropped), and a list longer than allowed stops the
reading before the rest is decoded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import JSONDecodeError
from json.decoder import scanstring as _scanstring  # type: ignore[attr-defined]
from typing import Any

_DECODER = json.JSONDecoder()
scanstring: Callable[[str, int], tuple[str, int]] = _scanstring
"""The standard library's (C) reader of a JSON string, from just after its opening quote."""
_SPACE = re.compile(r"[ \t\n\r]*")


class NotAnObject(ValueError):
    """The document is valid JSON but not an object."""

    def __init__(self, value: Any) -> None:
        self.type_name = type(value).__name__
        super().__init__(f"expected a JSON object, got {self.type_name}")


class ListTooLong(ValueError):
    """The streamed list holds more items than allowed; reading stopped there."""

    def __init__(self, key: str, maximum: int) -> None:
        self.key = key
        self.maximum = maximum
        super().__init__(f'"{key}" holds more than {maximum:,} items')


@dataclass(frozen=True)
class RawItem:
    """Where one list item sits in the document: its position, and its text for excerpts."""

    index: int
    text: str
    start: int
    end: int

    def excerpt(self, limit: int = 4096) -> str:
        return self.text[self.start : min(self.end, self.start + limit)]


@dataclass(frozen=True)
class Listing:
    """The top-level members of a document; `items` counts what went to the callback (None: no such list)."""

    members: dict[str, Any]
    items: int | None


ItemCallback = Callable[[Any, RawItem], None]


def decode_text(body: bytes) -> str:
    """The document's text; UTF-8, -16 or -32 as RFC 8259 allows, with or without a byte order mark."""
    return body.decode(json.detect_encoding(body), "surrogatepass")


def read_document(body: bytes) -> Any:
    """The JSON value of `body`, an object decoded member by member."""
    text = decode_text(body)
    start = _skip(text, 0)
    if not text.startswith("{", start):
        return _whole(text, start)
    return _read_object(text, start, None, _ignore, 0).members


def read_listing(body: bytes, list_key: str, on_item: ItemCallback, max_items: int) -> Listing:
    """The members of the top-level object of `body`; the items of its array `list_key` go to `on_item`.

    Raises NotAnObject, ListTooLong, or another ValueError (JSONDecodeError, UnicodeDecodeError) for
    a document that is not JSON.
    """
    text = decode_text(body)
    start = _skip(text, 0)
    if not text.startswith("{", start):
        raise NotAnObject(_whole(text, start))
    return _read_object(text, start, list_key, on_item, max_items)


def _ignore(value: Any, raw: RawItem) -> None:
    raise AssertionError("no list is streamed")


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _whole(text: str, pos: int) -> Any:
    value, end = _DECODER.raw_decode(text, pos)
    _expect_end(text, end)
    return value


def _expect_end(text: str, pos: int) -> None:
    end = _skip(text, pos)
    if end != len(text):
        raise JSONDecodeError("Extra data", text, end)


def _read_object(text: str, start: int, list_key: str | None, on_item: ItemCallback, max_items: int) -> Listing:
    members: dict[str, Any] = {}
    streamed: int | None = None
    pos = _skip(text, start + 1)
    if text.startswith("}", pos):
        _expect_end(text, pos + 1)
        return Listing(members, None)
    while True:
        if not text.startswith('"', pos):
            raise JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        key, pos = scanstring(text, pos + 1)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip(text, pos + 1)
        if key == list_key and text.startswith("[", pos):
            streamed, pos = _stream_array(text, pos, key, on_item, max_items)
            members.pop(key, None)
        else:
            members[key], pos = _DECODER.raw_decode(text, pos)
            if key == list_key:
                streamed = None
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            _expect_end(text, pos + 1)
            return Listing(members, streamed)
        else:
            raise JSONDecodeError("Expecting ',' delimiter", text, pos)


def _stream_array(text: str, start: int, key: str, on_item: ItemCallback, max_items: int) -> tuple[int, int]:
    pos = _skip(text, start + 1)
    if text.startswith("]", pos):
        return 0, pos + 1
    count = 0
    while True:
        if count == max_items:
            raise ListTooLong(key, max_items)
        value, end = _DECODER.raw_decode(text, pos)
        on_item(value, RawItem(count, text, pos, end))
        count += 1
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return count, pos + 1
        else:
            raise JSONDecodeError("Expecting ',' delimiter", text, pos)
