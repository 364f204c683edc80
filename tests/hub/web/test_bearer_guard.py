"""Bearer tokens on /graphql: what is refused with 401, and what a valid token or none gets."""

from __future__ import annotations

import json
import time

import httpx
import pytest
import websockets
from joserfc import jwt
from joserfc.jwk import RSAKey

from hub.app import Hub
from hub.auth.tokens import revoke
from hub.settings import Settings
from tests.auth_support import b64_json, bearer, jwt_parts, mint_token
from tests.support import LiveServer

QUERY = {"query": "{ institutions { code } }"}


async def _refused(client: httpx.AsyncClient, token: str, reason: str = "") -> None:
    response = await client.post("/graphql", json=QUERY, headers=bearer(token))
    assert response.status_code == 401, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="invalid_token"')
    assert reason in challenge
    assert token not in response.text


async def test_graphql_without_a_token_reads_the_public_catalogue(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json=QUERY)
    assert response.status_code == 200
    assert {i["code"] for i in response.json()["data"]["institutions"]} >= {"NLC", "CRECC", "TWMM"}


async def test_graphql_with_a_valid_token_answers(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", institution="NLC")
    response = await client.post("/graphql", json=QUERY, headers=bearer(token))
    assert response.status_code == 200 and "errors" not in response.json()


async def test_graphql_refuses_an_expired_token(hub: Hub, client: httpx.AsyncClient) -> None:
    await _refused(client, await mint_token(hub, "catalogue:write", "NLC", now=time.time() - 3700), "expired")


async def test_graphql_refuses_a_token_signed_by_another_key(hub: Hub, client: httpx.AsyncClient) -> None:
    kid = (await hub.auth.keys.signing_key()).kid
    other = RSAKey.generate_key(2048, private=True, parameters={"kid": kid})
    _, claims = jwt_parts(await mint_token(hub, "catalogue:write", "NLC"))
    forged = jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": kid}, claims, other)
    await _refused(client, forged, "signature")


async def test_graphql_refuses_alg_none(hub: Hub, client: httpx.AsyncClient) -> None:
    header, claims = jwt_parts(await mint_token(hub, "catalogue:write", "NLC"))
    unsigned = f"{b64_json(header | {'alg': 'none'})}.{b64_json(claims)}."
    await _refused(client, unsigned)


async def test_graphql_refuses_a_token_for_another_audience(hub: Hub, client: httpx.AsyncClient) -> None:
    key = await hub.auth.keys.signing_key()
    _, claims = jwt_parts(await mint_token(hub, "catalogue:write", "NLC"))
    elsewhere = jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, claims | {"aud": "https://other"}, key)
    await _refused(client, elsewhere, "aud")


async def test_graphql_refuses_a_tampered_payload(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    header, _, signature = token.split(".")
    claims = jwt_parts(token)[1] | {"institution": "TWMM"}
    await _refused(client, f"{header}.{b64_json(claims)}.{signature}", "signature")


async def test_graphql_refuses_a_revoked_token(hub: Hub, client: httpx.AsyncClient) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    await revoke(hub.sessions, await hub.auth.verifier.verify(token))
    await _refused(client, token, "revoked")


async def test_graphql_refuses_a_token_from_an_untrusted_issuer(hub: Hub, client: httpx.AsyncClient) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    claims = jwt_parts(await mint_token(hub, "catalogue:write", "NLC"))[1] | {"iss": "https://idp.example"}
    token = jwt.encode({"alg": "RS256", "typ": "at+jwt", "kid": key.kid}, claims, key)
    await _refused(client, token, "untrusted issuer")


async def test_graphql_refuses_a_token_that_is_not_an_access_token(hub: Hub, client: httpx.AsyncClient) -> None:
    key = await hub.auth.keys.signing_key()
    _, claims = jwt_parts(await mint_token(hub, "catalogue:write", "NLC"))
    id_token = jwt.encode({"alg": "RS256", "typ": "JWT", "kid": key.kid}, claims, key)
    await _refused(client, id_token, "at+jwt")


@pytest.mark.parametrize("value", ["Bearer", "Basic dXNlcjpwYXNz", "Bearer not.a.jwt"])
async def test_graphql_refuses_malformed_authorization(client: httpx.AsyncClient, value: str) -> None:
    response = await client.post("/graphql", json=QUERY, headers={"Authorization": value})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer error=")


async def test_graphql_rate_limits_each_client(database_url: str) -> None:
    from hub.settings import RateLimit
    from hub.web.app import create_app

    hub = Hub.create(Settings(database_url=database_url, graphql_rate_limit=RateLimit(3, 60)))
    try:
        transport = httpx.ASGITransport(app=create_app(hub))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            busy = bearer(await mint_token(hub, "trade:read", "NLC", client_id="busy"))
            calm = bearer(await mint_token(hub, "trade:read", "NLC", client_id="calm"))
            statuses = [(await client.post("/graphql", json=QUERY, headers=busy)).status_code for _ in range(4)]
            assert statuses == [200, 200, 200, 429]
            throttled = await client.post("/graphql", json=QUERY, headers=busy)
            assert int(throttled.headers["retry-after"]) >= 1
            assert (await client.post("/graphql", json=QUERY, headers=calm)).status_code == 200
            assert (await client.post("/graphql", json=QUERY)).status_code == 200  # anonymous: not a client
    finally:
        await hub.close()


async def _anonymous_statuses(database_url: str, settings: dict[str, object], forwarded_for: list[str]) -> list[int]:
    from hub.settings import RateLimit
    from hub.web.app import create_app

    hub = Hub.create(Settings(database_url=database_url, anonymous_rate_limit=RateLimit(2, 3600), **settings))
    try:
        transport = httpx.ASGITransport(app=create_app(hub), client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            return [
                (await client.post("/graphql", json=QUERY, headers={"X-Forwarded-For": address})).status_code
                for address in forwarded_for
            ]
    finally:
        await hub.close()


async def test_graphql_rate_limits_anonymous_clients_per_address_cached_answers_included(database_url: str) -> None:
    from hub.settings import RateLimit
    from hub.web.app import create_app

    # 20 a period: on PostgreSQL another process's write may end a cached answer, so give the cache 19 chances
    hub = Hub.create(Settings(database_url=database_url, anonymous_rate_limit=RateLimit(20, 3600)))
    try:
        transport = httpx.ASGITransport(app=create_app(hub), client=("192.0.2.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            answers = [await client.post("/graphql", json=QUERY) for _ in range(21)]
            token = bearer(await mint_token(hub, "trade:read", "NLC"))
            authenticated = await client.post("/graphql", json=QUERY, headers=token)
    finally:
        await hub.close()
    assert [answer.status_code for answer in answers] == [200] * 20 + [429]
    assert any(answer.headers.get("x-hub-cache") == "hit" for answer in answers[1:20])  # counted all the same
    refused = answers[20]
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["retry-after"]) >= 1
    assert authenticated.status_code == 200  # a client with a token counts apart


async def test_graphql_ignores_x_forwarded_for_unless_the_peer_is_a_trusted_proxy(database_url: str) -> None:
    statuses = await _anonymous_statuses(database_url, {}, ["203.0.113.5", "203.0.113.6", "203.0.113.7"])
    assert statuses == [200, 200, 429]  # one peer, whatever it claims


async def test_graphql_counts_the_forwarded_client_behind_a_trusted_proxy(database_url: str) -> None:
    import ipaddress

    proxies = {"trusted_proxies": (ipaddress.ip_network("127.0.0.0/8"),)}
    statuses = await _anonymous_statuses(
        database_url, proxies, ["203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.6", "198.51.100.1, 127.0.0.2"]
    )
    assert statuses == [200, 200, 429, 200, 200]


async def _ws_init(live_hub: LiveServer, payload: dict[str, object]) -> websockets.ClientConnection:
    url = live_hub.url.replace("http", "ws") + "/graphql"
    ws = await websockets.connect(url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")])
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    return ws


async def test_websocket_accepts_a_bearer_token_in_connection_init(hub: Hub, live_hub: LiveServer) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC")
    ws = await _ws_init(live_hub, {"Authorization": f"Bearer {token}"})
    try:
        assert json.loads(await ws.recv())["type"] == "connection_ack"
    finally:
        await ws.close()


async def test_websocket_refuses_an_invalid_token_in_connection_init(hub: Hub, live_hub: LiveServer) -> None:
    token = await mint_token(hub, "catalogue:write", "NLC", now=time.time() - 3700)
    ws = await _ws_init(live_hub, {"Authorization": f"Bearer {token}"})
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_websocket_operations_run_as_the_connection_init_principal(hub: Hub, live_hub: LiveServer) -> None:
    mutation = "mutation { triggerSync(input: {}) { errors { code } } }"
    for payload, expected in [
        ({"Authorization": f"Bearer {await mint_token(hub, 'catalogue:write', 'CRECC')}"}, None),
        ({}, "FORBIDDEN"),
    ]:
        ws = await _ws_init(live_hub, payload)
        try:
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": mutation}}))
            message = json.loads(await ws.recv())
        finally:
            await ws.close()
        errors = message["payload"] if message["type"] == "error" else message["payload"].get("errors")
        codes = [e.get("extensions", {}).get("code") for e in errors or []]
        assert codes == ([expected] if expected else []), message
