from __future__ import annotations

import time
import uuid
import warnings

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwt
from joserfc.jwk import RSAKey

from hub.app import Hub
from hub.settings import RateLimit, Settings
from hub.web.app import create_app
from tests.auth_support import bearer, fetch_token, jwt_parts, register_client, request_token
from tests.support import LiveServer, count_statements

with warnings.catch_warnings():  # authlib would rather have httpx2; httpx is what the hub's users have
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client


async def test_token_endpoint_issues_a_jwt_with_client_secret_post(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write trade:read", institution="NLC")
    response = await request_token(client, partner)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "catalogue:write trade:read"
    header, claims = jwt_parts(body["access_token"])
    assert header["typ"] == "at+jwt"
    assert claims["client_id"] == partner.client_id and claims["institution"] == "NLC"


async def test_token_endpoint_accepts_client_secret_basic(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "trade:read", institution="TWMM")
    assert partner.client_secret is not None
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(partner.client_id, partner.client_secret),
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "trade:read"


async def test_token_endpoint_narrows_scopes_to_the_clients(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write trade:read", institution="NLC")
    response = await request_token(client, partner, scope="trade:write catalogue:write")
    assert response.json()["scope"] == "catalogue:write"
    assert jwt_parts(response.json()["access_token"])[1]["scope"] == "catalogue:write"


async def test_token_endpoint_refuses_a_scope_the_client_does_not_have(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "trade:read", institution="NLC")
    response = await request_token(client, partner, scope="catalogue:write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert "'catalogue:write'" in response.json()["error_description"]


async def test_token_endpoint_refuses_an_unknown_scope_naming_it(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "trade:read", institution="NLC")
    response = await request_token(client, partner, scope="trade:read museum:loot")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"
    assert "'museum:loot'" in response.json()["error_description"]


async def test_token_endpoint_refuses_wrong_secret_and_unknown_client_alike(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    partner = await register_client(hub, "trade:read", institution="NLC")
    wrong_secret = await request_token(client, partner, secret="guess")
    unknown = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "guess"}
    )
    assert wrong_secret.status_code == unknown.status_code == 401
    assert (
        wrong_secret.json()
        == unknown.json()
        == {
            "error": "invalid_client",
            "error_description": "client authentication failed",
        }
    )
    basic_wrong = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(partner.client_id, "x")
    )
    basic_unknown = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("nobody", "x"))
    assert basic_wrong.json() == basic_unknown.json()
    assert basic_wrong.headers["www-authenticate"] == basic_unknown.headers["www-authenticate"]


async def test_token_endpoint_refuses_a_revoked_client(hub: Hub, client: httpx.AsyncClient) -> None:
    from hub.auth.clients import revoke_client

    partner = await register_client(hub, "trade:read", institution="NLC")
    async with hub.sessions.begin() as session:
        await revoke_client(session, partner.client_id)
    response = await request_token(client, partner)
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_token_endpoint_throttles_brute_force_per_client(database_url: str) -> None:
    slow_refill = RateLimit(5, 3600)  # refills one try in 12 minutes: no refill during the test however slow
    roomy = RateLimit(100, 3600)  # the limits per address stay out of the way here
    settings = Settings(
        database_url=database_url,
        token_rate_limit=slow_refill,
        token_address_rate_limit=roomy,
        auth_failure_rate_limit=roomy,
    )
    hub = Hub.create(settings)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub)), base_url="http://t") as client:
            partner = await register_client(hub, "trade:read", institution="NLC")
            statuses = [(await request_token(client, partner, secret=f"guess{n}")).status_code for n in range(8)]
            assert statuses == [401] * 5 + [429] * 3
            throttled = await request_token(client, partner)
            assert throttled.status_code == 429
            assert 1 <= int(throttled.headers["retry-after"]) <= 3600
            unknown = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
            assert [(await client.post("/oauth/token", data=unknown)).status_code for _ in range(6)][-1] == 429
            other = await register_client(hub, "trade:read", institution="NLC")
            assert (await request_token(client, other)).status_code == 200
    finally:
        await hub.close()


async def test_token_endpoint_refuses_an_address_after_failed_authentications_before_any_hashing(
    database_url: str,
) -> None:
    """Made-up client ids buy no hashing: failures count per address, and past the limit nothing is read."""
    hub = Hub.create(Settings(database_url=database_url, auth_failure_rate_limit=RateLimit(3, 3600)))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub)), base_url="http://t") as client:
            partner = await register_client(hub, "trade:read", institution="NLC")

            async def made_up() -> httpx.Response:
                form = {"grant_type": "client_credentials", "client_id": uuid.uuid4().hex, "client_secret": "guess"}
                return await client.post("/oauth/token", data=form)

            assert [(await made_up()).status_code for _ in range(3)] == [401] * 3
            with count_statements(hub.engine) as statements:
                refused = await made_up()
                genuine = await request_token(client, partner)
    finally:
        await hub.close()
    assert refused.status_code == 429 and genuine.status_code == 429
    assert refused.json()["error_description"] == "too many failed client authentications from this address"
    assert int(refused.headers["retry-after"]) >= 1
    assert statements == []  # refused before the client was even looked up


async def test_token_endpoint_limits_an_address_whatever_client_ids_it_claims(database_url: str) -> None:
    hub = Hub.create(Settings(database_url=database_url, token_address_rate_limit=RateLimit(3, 3600)))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(hub)), base_url="http://t") as client:
            partners = [await register_client(hub, "trade:read", institution="NLC") for _ in range(4)]
            statuses = [(await request_token(client, partner)).status_code for partner in partners]
            last = await request_token(client, partners[0])
    finally:
        await hub.close()
    assert statuses == [200, 200, 200, 429]
    assert last.json()["error_description"] == "too many requests from this address"


def _assertion(client_id: str, key: RSAKey, audience: str, jti: str | None = None) -> str:
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60}
    claims["jti"] = jti or uuid.uuid4().hex
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


async def _private_key_jwt(http: httpx.AsyncClient, client_id: str, assertion: str) -> httpx.Response:
    return await http.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        },
    )


async def test_token_endpoint_accepts_private_key_jwt_once(hub: Hub, client: httpx.AsyncClient) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    partner = await register_client(hub, "trade:read", institution="CRECC", jwks={"keys": [key.as_dict(private=False)]})
    assertion = _assertion(partner.client_id, key, f"{hub.settings.issuer}/oauth/token")
    first = await _private_key_jwt(client, partner.client_id, assertion)
    assert first.status_code == 200, first.text
    assert jwt_parts(first.json()["access_token"])[1]["institution"] == "CRECC"
    replay = await _private_key_jwt(client, partner.client_id, assertion)
    assert replay.status_code == 401 and replay.json()["error"] == "invalid_client"


async def test_token_endpoint_refuses_private_key_jwt_signed_by_another_key(
    hub: Hub, client: httpx.AsyncClient
) -> None:
    key = RSAKey.generate_key(2048, private=True, auto_kid=True)
    impostor = RSAKey.generate_key(2048, private=True, parameters={"kid": key.kid})
    partner = await register_client(hub, "trade:read", institution="CRECC", jwks={"keys": [key.as_dict(private=False)]})
    forged = _assertion(partner.client_id, impostor, hub.settings.issuer)
    response = await _private_key_jwt(client, partner.client_id, forged)
    assert response.status_code == 401
    assert response.json()["error_description"] == "client authentication failed"


async def test_metadata_describes_the_authorization_server(hub: Hub, client: httpx.AsyncClient) -> None:
    metadata = (await client.get("/.well-known/oauth-authorization-server")).json()
    issuer = hub.settings.issuer
    assert metadata["issuer"] == issuer
    assert metadata["token_endpoint"] == f"{issuer}/oauth/token"
    assert metadata["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert metadata["grant_types_supported"] == ["client_credentials"]
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
    }
    assert "catalogue:write" in metadata["scopes_supported"]


async def test_jwks_publishes_the_key_that_signs_tokens(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "trade:read", institution="NLC")
    token = await fetch_token(client, partner)
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert jwt_parts(token)[0]["kid"] in {key["kid"] for key in jwks["keys"]}


async def _introspect(http: httpx.AsyncClient, caller: object, token: str) -> httpx.Response:
    return await http.post(
        "/oauth/introspect",
        data={"token": token},
        auth=(caller.client_id, caller.client_secret),  # type: ignore[attr-defined]
    )


async def test_introspection_tells_an_authenticated_client_about_a_token(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write", institution="NLC")
    resource_server = await register_client(hub, "", name="resource-server")
    token = await fetch_token(client, partner)
    body = (await _introspect(client, resource_server, token)).json()
    assert body["active"] is True
    assert body["client_id"] == partner.client_id and body["scope"] == "catalogue:write"
    assert body["institution"] == "NLC" and body["iss"] == hub.settings.issuer
    assert (await _introspect(client, resource_server, "not-a-token")).json() == {"active": False}


async def test_introspection_refuses_unauthenticated_callers(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write", institution="NLC")
    token = await fetch_token(client, partner)
    response = await client.post("/oauth/introspect", data={"token": token})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_revocation_makes_a_token_refused_at_once(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write", institution="NLC")
    token = await fetch_token(client, partner)
    assert partner.client_secret is not None
    revoked = await client.post("/oauth/revoke", data={"token": token}, auth=(partner.client_id, partner.client_secret))
    assert revoked.status_code == 200
    assert (await _introspect(client, partner, token)).json() == {"active": False}
    response = await client.post("/graphql", json={"query": "{ institutions { code } }"}, headers=bearer(token))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_revocation_by_another_client_leaves_the_token_valid(hub: Hub, client: httpx.AsyncClient) -> None:
    partner = await register_client(hub, "catalogue:write", institution="NLC")
    stranger = await register_client(hub, "trade:read", institution="TWMM")
    token = await fetch_token(client, partner)
    assert stranger.client_secret is not None
    response = await client.post(
        "/oauth/revoke", data={"token": token}, auth=(stranger.client_id, stranger.client_secret)
    )
    assert response.status_code == 200
    assert (await _introspect(client, partner, token)).json()["active"] is True


async def test_oauth_client_library_fetches_a_token_and_calls_graphql(hub: Hub, live_hub: LiveServer) -> None:
    partner = await register_client(hub, "catalogue:write trade:read", institution="TWMM")
    async with AsyncOAuth2Client(
        partner.client_id,
        partner.client_secret,
        scope="catalogue:write",
        token_endpoint_auth_method="client_secret_basic",
    ) as oauth:
        token = await oauth.fetch_token(f"{live_hub.url}/oauth/token", grant_type="client_credentials")
        assert token["scope"] == "catalogue:write" and token["expires_at"] > time.time()
        response = await oauth.post(
            f"{live_hub.url}/graphql",
            json={"query": "mutation { triggerSync(input: {}) { errors { code } } }"},
        )
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.json()
