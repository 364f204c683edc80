"""The clearance texts in a language: gettext over the `clearance` catalogs, English when there is none."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable, Sequence
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "clearance"
LANGUAGES = ("en", "zh", "ar", "ru", "fr")


def catalog_language(languages: Sequence[str]) -> str:
    """The first of `languages` (BCP 47 tags, best first) the catalogs cover, else English."""
    for tag in languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return "en"


@functools.cache
def _translator(language: str) -> Callable[[str], str]:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True).gettext


def translator(*languages: str) -> Callable[[str], str]:
    return _translator(catalog_language(languages))
