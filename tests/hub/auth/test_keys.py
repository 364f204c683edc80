from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hub.app import Hub
from hub.auth.keys import CACHE_SECONDS, SigningKeys
from hub.auth.models import SigningKey
from hub.core.clock import utc_now


async def test_keys_signing_key_is_generated_once_and_kept_in_the_database(hub: Hub) -> None:
    first = await hub.auth.keys.signing_key()
    again = await hub.auth.keys.signing_key()
    other_process = SigningKeys(hub.sessions, hub.settings.token_lifetime)
    assert again.kid == first.kid
    assert (await other_process.signing_key()).kid == first.kid


async def test_keys_jwks_publishes_public_keys_with_kid(hub: Hub) -> None:
    jwks = await hub.auth.keys.jwks()
    (key,) = jwks["keys"]
    assert key["kid"] == (await hub.auth.keys.signing_key()).kid
    assert key["alg"] == "RS256" and key["use"] == "sig"
    assert "d" not in key and "p" not in key


async def test_keys_rotate_signs_with_the_new_key_and_keeps_the_old_published(hub: Hub) -> None:
    old = await hub.auth.keys.signing_key()
    new_kid = await hub.auth.keys.rotate()
    assert new_kid != old.kid
    assert (await hub.auth.keys.signing_key()).kid == new_kid
    published = {key["kid"] for key in (await hub.auth.keys.jwks())["keys"]}
    assert published == {old.kid, new_kid}


async def test_keys_rotated_key_is_unpublished_once_its_tokens_expired(hub: Hub) -> None:
    old = await hub.auth.keys.signing_key()
    await hub.auth.keys.rotate()
    expired = utc_now() - timedelta(seconds=hub.settings.token_lifetime + CACHE_SECONDS + 1)
    async with hub.sessions.begin() as session:
        await session.execute(update(SigningKey).where(SigningKey.kid == old.kid).values(retired_at=expired))
    fresh = SigningKeys(hub.sessions, hub.settings.token_lifetime)
    assert old.kid not in {key["kid"] for key in (await fresh.jwks())["keys"]}


async def test_keys_rotation_by_another_process_is_seen_for_an_unknown_kid(hub: Hub) -> None:
    await hub.auth.keys.signing_key()
    other_process = SigningKeys(hub.sessions, hub.settings.token_lifetime)
    new_kid = await other_process.rotate()
    keys = await hub.auth.keys.verification_keys(new_kid)
    assert new_kid in {key.kid for key in keys}
