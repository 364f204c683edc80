"""The clearance texts in a language: gettext over the `clearance` catalogs, English when there is none."""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "clearance"


@functools.cache
def translator(lang: str) -> Callable[[str], str]:
    primary = lang.replace("_", "-").split("-")[0].lower()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[primary], fallback=True).gettext
