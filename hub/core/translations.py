"""Messages in the reader's language, from gettext catalogs compiled by babel.

A domain marks its English texts with `N_` (so that extraction finds them) and refuses with a `Message`: the
catalog domain (one per business area: `core`, `trading`, `clearance`, ...), the English text as message id and
its named parameters. The GraphQL layer renders the message in the caller's negotiated language; codes never
change with the language. Catalogs live in `hub/locale/<lang>/LC_MESSAGES/<domain>.mo` beside their `.po`
sources; `python -m hub.core.message_catalogs` extracts, updates and compiles them.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGES = (SOURCE_LANGUAGE, "zh", "ar", "ru", "fr")
"""The languages every catalog translates into; the source texts are English."""


def N_(text: str) -> str:
    """Marks `text` for extraction into a catalog; returns it unchanged."""
    return text


class Message:
    """A translatable text: `domain`'s catalog translates `msgid`; `params` fill its `{name}` fields."""

    __slots__ = ("domain", "msgid", "params")

    def __init__(self, domain: str, msgid: str, /, **params: object) -> None:
        self.domain = domain
        self.msgid = msgid
        self.params: Mapping[str, object] = params

    def render(self, languages: Sequence[str] = ()) -> str:
        """The text in the first of `languages` the hub has a catalog for, else English."""
        template = translator(self.domain, catalog_language(languages)).gettext(self.msgid)
        try:
            return template.format_map(self.params)
        except (KeyError, IndexError, ValueError):
            # A translation with a broken field must not hide the refusal: fall back to the source text.
            return self.msgid.format_map(self.params)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.domain!r}, {self.msgid!r}, **{dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return (self.domain, self.msgid, dict(self.params)) == (other.domain, other.msgid, dict(other.params))

    def __hash__(self) -> int:
        return hash((self.domain, self.msgid))


def catalog_language(languages: Sequence[str]) -> str:
    """The first of `languages` (BCP 47 tags, best first) whose primary language has catalogs, else English."""
    for tag in languages:
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return SOURCE_LANGUAGE


def render(text: str | Message, languages: Sequence[str] = ()) -> str:
    """`text` as a reader of `languages` should see it; a plain string is shown as it is."""
    return text.render(languages) if isinstance(text, Message) else text


@lru_cache(maxsize=64)
def translator(domain: str, language: str) -> gettext.NullTranslations:
    """The compiled catalog of `domain` in `language`; the source texts themselves for English or no catalog."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir=LOCALE_DIR, languages=[language], fallback=True)
