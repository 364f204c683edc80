"""The scopes of the public contract and what each is bound to (DESIGN.md, "Scopes and claims")."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Binding(enum.Enum):
    NONE = "none"
    INSTITUTION = "institution"
    JURISDICTION = "jurisdiction"


CATALOGUE_WRITE = "catalogue:write"
TRADE_READ = "trade:read"
TRADE_WRITE = "trade:write"
LICENCE_ISSUE = "licence:issue"
CUSTOMS_CLEAR = "customs:clear"
AUDIT_READ = "audit:read"
HUB_ADMIN = "hub:admin"

SCOPES: dict[str, Binding] = {
    CATALOGUE_WRITE: Binding.INSTITUTION,
    TRADE_READ: Binding.INSTITUTION,
    TRADE_WRITE: Binding.INSTITUTION,
    LICENCE_ISSUE: Binding.JURISDICTION,
    CUSTOMS_CLEAR: Binding.JURISDICTION,
    AUDIT_READ: Binding.JURISDICTION,
    HUB_ADMIN: Binding.NONE,
}


class ScopeError(ValueError):
    """A scope the hub does not know, or one whose binding is missing; the message names it."""


def parse_scopes(text: str | Iterable[str] | None) -> list[str]:
    """Space-separated (or listed) scopes, in order, without duplicates; unknown ones refused."""
    items = text.split() if isinstance(text, str) else list(text or ())
    unknown = [scope for scope in items if scope not in SCOPES]
    if unknown:
        raise ScopeError(f"unknown scope {unknown[0]!r}; known: {' '.join(SCOPES)}")
    return list(dict.fromkeys(items))


def check_bindings(scopes: Iterable[str], institution: str | None, jurisdiction: str | None) -> None:
    """Refuses scopes whose binding (an institution or a jurisdiction) is not given."""
    for scope in scopes:
        binding = SCOPES[scope]
        if binding is Binding.INSTITUTION and institution is None:
            raise ScopeError(f"scope {scope!r} needs an institution (--institution CODE)")
        if binding is Binding.JURISDICTION and jurisdiction is None:
            raise ScopeError(f"scope {scope!r} needs a jurisdiction (--jurisdiction CC)")
