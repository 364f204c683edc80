"""The auth service of one running hub: its token signing keys and the verifier of bearer tokens."""

from __future__ import annotations

from dataclasses import dataclass

from hub.auth.external import ExternalKeys
from hub.auth.keys import SigningKeys
from hub.auth.tokens import TokenVerifier
from hub.db import SessionFactory
from hub.settings import Settings


@dataclass
class AuthService:
    settings: Settings
    sessions: SessionFactory
    keys: SigningKeys
    verifier: TokenVerifier

    @classmethod
    def create(cls, settings: Settings, sessions: SessionFactory) -> AuthService:
        keys = SigningKeys(sessions, settings.token_lifetime)
        return cls(settings, sessions, keys, TokenVerifier(settings, keys, sessions, ExternalKeys()))
