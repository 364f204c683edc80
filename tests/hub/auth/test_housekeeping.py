from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.app import Hub
from hub.auth.housekeeping import purge_expired
from hub.auth.models import RevokedToken, UsedClientAssertion
from hub.core.clock import utc_now


async def test_housekeeping_forgets_only_what_has_expired(hub: Hub) -> None:
    now = utc_now()
    async with hub.sessions.begin() as session:
        session.add_all(
            [
                RevokedToken(jti="old", client_id="c1", expires_at=now - timedelta(minutes=1)),
                RevokedToken(jti="live", client_id="c1", expires_at=now + timedelta(minutes=30)),
                UsedClientAssertion(client_id="c2", jti="old-assertion", expires_at=now - timedelta(seconds=1)),
                UsedClientAssertion(client_id="c2", jti="live-assertion", expires_at=now + timedelta(minutes=5)),
            ]
        )
    async with hub.sessions.begin() as session:
        assert await purge_expired(session, now) == 2
    async with hub.sessions() as session:
        assert list(await session.scalars(select(RevokedToken.jti))) == ["live"]
        assert list(await session.scalars(select(UsedClientAssertion.jti))) == ["live-assertion"]
