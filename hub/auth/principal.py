"""Who is calling: the client behind a validated access token, or nobody (the public catalogue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub.auth.scopes import SCOPES, Binding


@dataclass(frozen=True)
class Principal:
    client_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    institution: str | None = None
    """Code of the institution the token acts for (catalogue and trade scopes)."""
    jurisdiction: str | None = None
    """ISO 3166 country code of the regulator the token acts for (licence, customs and audit scopes)."""
    issuer: str | None = None
    subject: str | None = None
    token_id: str | None = None
    expires_at: datetime | None = None

    @property
    def authenticated(self) -> bool:
        return self.client_id is not None

    @property
    def key(self) -> str:
        """Identifies the caller across tokens: for rate limits and idempotency keys."""
        return f"{self.issuer}|{self.client_id}" if self.authenticated else "anonymous"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def may(self, scope: str, *, institution: str | None = None, jurisdiction: str | None = None) -> bool:
        """Whether the token holds `scope` and its binding covers the given institution or jurisdiction."""
        if scope not in self.scopes:
            return False
        binding = SCOPES.get(scope, Binding.NONE)
        if binding is Binding.INSTITUTION:
            return self.institution is not None and self.institution == institution
        if binding is Binding.JURISDICTION:
            return self.jurisdiction is not None and self.jurisdiction == jurisdiction
        return True


ANONYMOUS = Principal()
