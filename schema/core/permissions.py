"""Scopes declared on fields: `permission_classes=[requires(CATALOGUE_WRITE)]`, checked before the resolver runs.

Only the scope is checked here; institution and jurisdiction bindings are the services' business.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from schema.core.context import Info

_CLASSES: dict[str, type[BasePermission]] = {}


class ScopePermission(BasePermission):
    scope: ClassVar[str] = ""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.principal.has_scope(self.scope)


def requires(scope: str) -> type[BasePermission]:
    """The permission class of `scope` (one per scope): refused with code FORBIDDEN naming the scope."""
    if scope not in _CLASSES:
        name = "Requires" + "".join(part.capitalize() for part in scope.replace(":", "_").split("_"))
        _CLASSES[scope] = type(
            name,
            (ScopePermission,),
            {
                "scope": scope,
                "message": f"this operation needs the scope {scope!r}",
                "error_extensions": {"code": "FORBIDDEN", "scope": scope},
            },
        )
    return _CLASSES[scope]


class AnyScopePermission(BasePermission):
    scopes: ClassVar[tuple[str, ...]] = ()

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return any(info.context.principal.has_scope(scope) for scope in self.scopes)


def requires_any(*scopes: str) -> type[BasePermission]:
    """The permission class of a field any of `scopes` opens (transfers: the parties and the regulators);
    refused with code FORBIDDEN and `scope` naming them, space-separated."""
    key = " ".join(scopes)
    if key not in _CLASSES:
        name = "RequiresAnyOf" + "".join(
            part.capitalize() for part in key.replace(":", "_").replace(" ", "_").split("_")
        )
        _CLASSES[key] = type(
            name,
            (AnyScopePermission,),
            {
                "scopes": scopes,
                "message": f"this operation needs one of the scopes {key!r}",
                "error_extensions": {"code": "FORBIDDEN", "scope": key},
            },
        )
    return _CLASSES[key]
