"""The clearance texts (decisions, rules, documents, HS codes) in the first of the caller's languages the
`clearance` catalogs cover, else in English."""

from __future__ import annotations

from collections.abc import Callable

from hub.core.translations import catalog_language
from hub.core.translations import translator as catalog

DOMAIN = "clearance"


def translator(*languages: str) -> Callable[[str], str]:
    return catalog(DOMAIN, catalog_language(languages)).gettext
