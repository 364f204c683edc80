from __future__ import annotations

import time

import pytest

from hub.app import Hub
from hub.auth.service import AuthService
from hub.auth.tokens import InvalidTokenError, revoke
from tests.auth_support import jwt_parts, mint_token


async def test_tokens_carry_rfc9068_header_and_claims(hub: Hub) -> None:
    token = await mint_token(hub, "catalogue:write trade:read", institution="NLC", client_id="c1")
    header, claims = jwt_parts(token)
    assert header == {"alg": "RS256", "typ": "at+jwt", "kid": (await hub.auth.keys.signing_key()).kid}
    assert claims["iss"] == hub.settings.issuer and claims["aud"] == hub.settings.audience
    assert claims["sub"] == claims["client_id"] == "c1"
    assert claims["scope"] == "catalogue:write trade:read" and claims["institution"] == "NLC"
    assert claims["exp"] - claims["iat"] == 3600
    assert set(claims) >= {"jti", "iat", "exp"}


async def test_tokens_verify_into_the_principal(hub: Hub) -> None:
    token = await mint_token(hub, "audit:read", jurisdiction="FR", client_id="douane")
    principal = await hub.auth.verifier.verify(token)
    assert principal.client_id == "douane" and principal.jurisdiction == "FR"
    assert principal.scopes == {"audit:read"} and principal.institution is None
    assert principal.may("audit:read", jurisdiction="FR") and not principal.may("audit:read", jurisdiction="CN")


async def test_tokens_each_get_their_own_jti(hub: Hub) -> None:
    first, second = await mint_token(hub), await mint_token(hub)
    assert jwt_parts(first)[1]["jti"] != jwt_parts(second)[1]["jti"]


async def test_tokens_expired_are_refused(hub: Hub) -> None:
    token = await mint_token(hub, now=time.time() - 3700)
    with pytest.raises(InvalidTokenError, match="expired"):
        await hub.auth.verifier.verify(token)


async def test_tokens_revoked_are_refused_by_another_process(hub: Hub) -> None:
    token = await mint_token(hub, "catalogue:write", institution="NLC")
    await revoke(hub.sessions, await hub.auth.verifier.verify(token))
    other_process = AuthService.create(hub.settings, hub.sessions)
    with pytest.raises(InvalidTokenError, match="revoked"):
        await other_process.verifier.verify(token)


async def test_tokens_unknown_scopes_in_a_token_are_ignored(hub: Hub) -> None:
    token = await mint_token(hub, "catalogue:write root:everything", institution="NLC")
    assert (await hub.auth.verifier.verify(token)).scopes == {"catalogue:write"}
