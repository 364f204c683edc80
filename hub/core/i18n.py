"""Language negotiation: which of an item's texts a reader gets.

Order: the `lang` argument, else the Accept-Language header (by q-value), else the item's own
language, then Chinese, then English, then whatever the item has.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale, UnknownLocaleError

from hub.core.user_errors import InvalidArgumentError

FALLBACK_LANGUAGES = ("zh", "en")


class UnknownLanguageError(InvalidArgumentError):
    def __init__(self, tag: str, field: str = "lang") -> None:
        self.tag = tag
        super().__init__(field, f"unknown language tag {tag!r}: give a BCP 47 tag such as 'zh', 'en' or 'zh-Hant'")


def validate_language(tag: str) -> str:
    """`tag` if babel knows it as a locale (BCP 47 with '-'), else UnknownLanguageError."""
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise UnknownLanguageError(tag) from None
    return tag


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, best first by q-value; `*` and q=0 are dropped."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0]
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _truncations(tag: str) -> list[str]:
    """RFC 4647 lookup: zh-Hant-TW, zh-Hant, zh."""
    parts = tag.lower().split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def pick_language(available: Sequence[str], preferred: Sequence[str]) -> str | None:
    """The available tag that best matches the first preference that matches at all."""
    lowered = {tag.lower(): tag for tag in available}
    for wanted in preferred:
        for candidate in _truncations(wanted):
            if candidate in lowered:
                return lowered[candidate]
        primary = wanted.lower().split("-")[0]
        for tag in available:
            if tag.lower().split("-")[0] == primary:
                return tag
    return None


def negotiate(
    texts: Sequence[dict[str, str]],
    requested: str | None,
    accept: Sequence[str],
    own_language: str | None,
) -> dict[str, str] | None:
    """The text (a {"lang", "value"} dict) a reader should get, or None when there are none.

    A `requested` tag that is not a language is refused (UnknownLanguageError), even when there are no texts.
    """
    if requested is not None:
        validate_language(requested)
    return choose_text(texts, requested, accept, own_language)


def choose_text(
    texts: Sequence[dict[str, str]],
    requested: str | None,
    accept: Sequence[str],
    own_language: str | None,
) -> dict[str, str] | None:
    """`negotiate` for a `requested` tag already validated (or None): the compiled reads validate it once a page."""
    if not texts:
        return None
    preferred = [requested] if requested else list(accept)
    if own_language:
        preferred.append(own_language)
    preferred += FALLBACK_LANGUAGES
    chosen = pick_language([t["lang"] for t in texts], preferred)
    if chosen is None:
        return texts[0]
    return next(t for t in texts if t["lang"] == chosen)
