"""Who is calling: the client behind a validated access token, or nobody (the public catalogue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub.auth.scopes import SCOPES, Binding
from hub.core.translations import N_, Message
from hub.core.user_errors import CommonErrorCode, Refused, UserError


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

    def bound_to(self, scope: str, requested: str | None, action: str) -> str:
        """The institution or jurisdiction a call acts on: `requested`, else the token's own, upper-cased.

        Refused (FORBIDDEN, on the field named after the binding) unless the token holds `scope` bound to it;
        `action` completes the message "a <scope> token of <own> may not <action> <requested>".
        """
        binding = SCOPES[scope]
        own = self.institution if binding is Binding.INSTITUTION else self.jurisdiction
        wanted = (requested or own or "").strip().upper()
        if binding is Binding.INSTITUTION:
            allowed = self.may(scope, institution=wanted)
        else:
            allowed = self.may(scope, jurisdiction=wanted)
        if not allowed:
            message = _forbidden(scope, binding, own, wanted, action)
            raise Refused(UserError(CommonErrorCode.FORBIDDEN, binding.value, message))
        return wanted


# Translators: {article} and {action} are English fragments ("an", "read the audit log of"): leave them out.
FORBIDDEN_BINDING = N_("{article} {scope} token of {own} may not {action} {wanted}")


def _forbidden(scope: str, binding: Binding, own: str | None, wanted: str, action: str) -> Message:
    nobody = f"no {binding.value}"
    article = "an" if scope[0] in "aeiou" else "a"
    return Message(
        "core",
        FORBIDDEN_BINDING,
        article=article,
        scope=scope,
        own=own or nobody,
        action=action,
        wanted=wanted or nobody,
    )


ANONYMOUS = Principal()
