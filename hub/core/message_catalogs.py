"""The gettext catalogs: extract the marked texts of a domain with babel, update its `.po` files, compile `.mo`.

    python -m hub.core.message_catalogs update trading     # after adding or changing N_("...") texts
    python -m hub.core.message_catalogs check               # what the test suite checks, for every domain

A domain's texts are those marked with `N_(...)` (or a module's own `_(...)` marker) in its package, `hub/<domain>/`
(`core` also covers `hub/auth/`). New texts arrive untranslated; `check` fails until each language has them.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from hub.core.translations import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE

HUB_DIR = LOCALE_DIR.parent
KEYWORDS: dict[str, None] = {"N_": None, "_": None}
"""Marker functions whose first argument is a text to translate."""
EXTRA_SOURCES = {"core": ("auth",)}
"""Packages whose texts go into another domain's catalog."""


def domains() -> list[str]:
    """The domains that have a catalog (a template `hub/locale/<domain>.pot`)."""
    return sorted(path.stem for path in LOCALE_DIR.glob("*.pot"))


def translated_languages() -> list[str]:
    return [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def po_path(domain: str, language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def extract(domain: str) -> Catalog:
    """The template catalog of `domain`: every marked text in its packages, with where it is used."""
    template = Catalog(project="Silk Road Hub", domain=domain, fuzzy=False)
    for package in (domain, *EXTRA_SOURCES.get(domain, ())):
        root = HUB_DIR / package
        if not root.is_dir():
            raise SystemExit(f"no package hub/{package} for catalog domain {domain!r}")
        for filename, lineno, message, comments, _context in extract_from_dir(
            root, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            location = (f"hub/{package}/{filename}", lineno)
            template.add(message, locations=[location], auto_comments=comments)
    return template


def load_po(path: Path, language: str, domain: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=domain)
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=domain)


def load_mo(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_mo(source)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, sort_output=True, no_location=True, width=120)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def translations(catalog: Catalog) -> dict[object, object]:
    """What a compiled catalog answers: message id -> translation, for the translated, non-fuzzy messages."""
    return {message.id: message.string for message in catalog if message.id and message.string and not message.fuzzy}


def update(domain: str) -> None:
    """Extract `domain`, write its template, merge it into every language's `.po` and compile the `.mo`."""
    template = extract(domain)
    (LOCALE_DIR / f"{domain}.pot").write_bytes(po_bytes(template))
    for language in translated_languages():
        path = po_path(domain, language)
        catalog = load_po(path, language, domain)
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))


def problems(domain: str) -> Iterable[str]:
    """What is wrong with `domain`'s catalogs: stale template, untranslated texts, stale compiled files."""
    template = extract(domain)
    pot = LOCALE_DIR / f"{domain}.pot"
    if not pot.exists() or pot.read_bytes() != po_bytes(template):
        yield f"{pot.relative_to(HUB_DIR.parent)} is not what the code marks: run update {domain}"
    for language in translated_languages():
        path = po_path(domain, language)
        catalog = load_po(path, language, domain)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id)
            if found is None or not found.string or found.fuzzy:
                yield f"{path.relative_to(HUB_DIR.parent)}: no translation of {message.id!r}"
        mo = path.with_suffix(".mo")
        if not mo.exists() or translations(load_mo(mo)) != translations(catalog):
            yield f"{mo.relative_to(HUB_DIR.parent)} is not compiled from its .po: run update {domain}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.core.message_catalogs", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("update", "check"))
    parser.add_argument("domains", nargs="*", help="catalog domains (default: every domain with a template)")
    args = parser.parse_args(argv)
    chosen = args.domains or domains()
    if args.action == "update":
        for domain in chosen:
            update(domain)
        return 0
    found = [problem for domain in chosen for problem in problems(domain)]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
