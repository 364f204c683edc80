"""The auth objects of one running hub: signing keys, token verifier, rate limiters."""

from __future__ import annotations

from dataclasses import dataclass

from hub.auth.external import ExternalKeys
from hub.auth.keys import SigningKeys
from hub.auth.tokens import TokenVerifier
from hub.db import SessionFactory
from hub.rate_limit import RateLimiter
from hub.settings import Settings


@dataclass
class HubAuth:
    settings: Settings
    sessions: SessionFactory
    keys: SigningKeys
    verifier: TokenVerifier
    token_limits: RateLimiter
    """Per client id, on /oauth/token, /oauth/introspect and /oauth/revoke."""
    graphql_limits: RateLimiter
    """Per authenticated client, on /graphql."""

    @classmethod
    def create(cls, settings: Settings, sessions: SessionFactory) -> HubAuth:
        keys = SigningKeys(sessions, settings.token_lifetime)
        verifier = TokenVerifier(settings, keys, sessions, ExternalKeys())
        return cls(
            settings,
            sessions,
            keys,
            verifier,
            RateLimiter(settings.token_rate_limit),
            RateLimiter(settings.graphql_rate_limit),
        )
