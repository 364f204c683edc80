"""The authorization server, on authlib: client credentials grant, client authentication, introspection, revocation.

authlib is synchronous. Everything its callbacks need (the client row, the signing key, the token being
introspected or revoked) is read beforehand into a `Prepared`; effects its callbacks decide (a token to revoke,
a client assertion used) are recorded there and written to the database afterwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import InvalidClientError, InvalidScopeError, OAuth2Error, OAuth2Payload
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from joserfc.jwk import KeySet, RSAKey

from hub.auth.clients import PRIVATE_KEY_JWT, ClientRecord
from hub.auth.principal import Principal
from hub.auth.scopes import SCOPES, ScopeError, parse_scopes
from hub.auth.tokens import Grant, sign_access_token
from hub.settings import Settings

# authlib logs issued tokens and client ids at DEBUG: never let that through, whatever the root level.
logging.getLogger("authlib").setLevel(logging.INFO)

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", PRIVATE_KEY_JWT]
CLIENT_AUTH_FAILED = "client authentication failed"
ResponseTuple = tuple[int, dict[str, Any], list[tuple[str, str]]]


@dataclass
class Prepared:
    """One request's inputs for authlib, read before calling it, and the effects it decided."""

    form: dict[str, str]
    client: ClientRecord | None = None
    signing_key: RSAKey | None = None
    token: Principal | None = None
    """The valid hub token sent to /oauth/introspect or /oauth/revoke; None when it is not one."""
    assertion_used_before: bool = False
    used_assertion: tuple[str, str, int] | None = None
    """(client id, jti, exp) of the client assertion that authenticated this request."""
    revoke: Principal | None = None


class HubPayload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, form: dict[str, str]) -> None:
        self._data = form

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:
        return {key: [value] for key, value in self._data.items()}


class HubRequest(OAuth2Request):  # type: ignore[misc]
    """An OAuth2Request over a form already read. `uri` is the endpoint's public URL (under the issuer)."""

    def __init__(self, method: str, uri: str, headers: Any, form: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self.payload = HubPayload(form)
        self._form = form

    @property
    def args(self) -> dict[str, str]:
        return {}

    @property
    def form(self) -> dict[str, str]:
        return self._form


class HubClientCredentialsGrant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def validate_requested_scope(self) -> None:
        """Unknown scopes are refused; known ones are narrowed to the client's (all of them when none asked)."""
        client: ClientRecord = self.request.client
        try:
            wanted = parse_scopes(self.request.payload.scope)
        except ScopeError as exc:
            raise InvalidScopeError(str(exc)) from None
        granted = [scope for scope in wanted if scope in client.scopes] if wanted else list(client.scopes)
        if wanted and not granted:
            raise InvalidScopeError(f"scope {wanted[0]!r} is not granted to this client")
        self.request.scope = " ".join(granted)

    def create_token_response(self) -> ResponseTuple:
        token = self.generate_token(scope=self.request.scope, include_refresh_token=False)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    """`private_key_jwt` (RFC 7523): a JWT signed with the client's registered key, used once."""

    CLIENT_AUTH_METHOD = PRIVATE_KEY_JWT

    def __init__(self, audiences: list[str], prepared: Prepared) -> None:
        super().__init__(validate_jti=True, leeway=30)
        self.audiences = audiences
        self.prepared = prepared

    def get_audiences(self) -> list[str]:
        return self.audiences

    def resolve_client_public_key(self, client: ClientRecord) -> KeySet:
        if client.jwks is None or client.revoked:
            raise InvalidClientError(description=CLIENT_AUTH_FAILED)
        return KeySet.import_key_set(client.jwks)  # type: ignore[arg-type]

    def validate_jti(self, claims: dict[str, Any], jti: str) -> bool:
        if self.prepared.assertion_used_before:
            return False
        self.prepared.used_assertion = (str(claims["sub"]), str(jti), int(claims["exp"]))
        return True


class HubIntrospectionEndpoint(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def __init__(self, server: HubAuthorizationServer) -> None:
        super().__init__(server)
        self.hub_server = server

    def query_token(self, token_string: str, token_type_hint: str | None) -> Principal | None:
        return self.hub_server.prepared.token

    def check_permission(self, token: Principal, client: ClientRecord, request: HubRequest) -> bool:
        return True  # any authenticated client (a resource server) may introspect a token it was shown

    def create_introspection_payload(self, token: Principal | None) -> dict[str, Any]:
        if token is None:
            return {"active": False}
        return self.introspect_token(token)

    def introspect_token(self, token: Principal) -> dict[str, Any]:
        settings = self.hub_server.settings
        payload: dict[str, Any] = {
            "active": True,
            "token_type": "Bearer",
            "scope": " ".join(sorted(token.scopes)),
            "client_id": token.client_id,
            "sub": token.subject,
            "iss": settings.issuer,
            "aud": settings.audience,
            "jti": token.token_id,
            "exp": int(token.expires_at.timestamp()) if token.expires_at else None,
        }
        if token.institution is not None:
            payload["institution"] = token.institution
        if token.jurisdiction is not None:
            payload["jurisdiction"] = token.jurisdiction
        return payload


class HubRevocationEndpoint(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def __init__(self, server: HubAuthorizationServer) -> None:
        super().__init__(server)
        self.hub_server = server

    def authenticate_token(self, request: HubRequest, client: ClientRecord) -> Principal | None:
        self.check_params(request, client)
        token = self.hub_server.prepared.token
        if token is not None and token.client_id != client.client_id:
            return None  # RFC 7009 2.2: a client revokes only its own tokens; answered 200 like any invalid token
        return token

    def revoke_token(self, token: Principal, request: HubRequest) -> None:
        self.hub_server.prepared.revoke = token


class HubAuthorizationServer(AuthorizationServer):  # type: ignore[misc]
    """Built per request around its `Prepared` inputs: no shared state, no database access."""

    def __init__(self, settings: Settings, prepared: Prepared) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.settings = settings
        self.prepared = prepared
        self.register_grant(HubClientCredentialsGrant)
        self.register_client_auth_method(
            PRIVATE_KEY_JWT, PrivateKeyJwt([settings.issuer, f"{settings.issuer}/oauth/token"], prepared)
        )
        self.register_endpoint(HubIntrospectionEndpoint(self))
        self.register_endpoint(HubRevocationEndpoint(self))
        self.register_token_generator("default", self._generate_token)

    def query_client(self, client_id: str) -> ClientRecord:
        client = self.prepared.client
        return client if client is not None and client.client_id == client_id else ClientRecord.unknown(client_id)

    def save_token(self, token: dict[str, Any], request: HubRequest) -> None:
        """Access tokens are self-contained JWTs: nothing to keep."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass

    def create_oauth2_request(self, request: HubRequest) -> HubRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> ResponseTuple:
        return status, dict(body) if body else {}, list(headers)

    def handle_error_response(self, request: HubRequest, error: OAuth2Error) -> ResponseTuple:
        if isinstance(error, InvalidClientError):
            # One answer for an unknown client, a wrong secret, a bad assertion: nothing tells which.
            error.description = CLIENT_AUTH_FAILED
            error.status_code = 401
        result: ResponseTuple = self.handle_response(*error(self.get_error_uri(request, error)))
        return result

    def _generate_token(
        self,
        grant_type: str,
        client: ClientRecord,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = False,
    ) -> dict[str, Any]:
        key = self.prepared.signing_key
        assert key is not None, "the signing key is loaded before authlib is called"
        scopes = tuple((scope or "").split())
        signed = sign_access_token(
            self.settings, key, Grant(client.client_id, scopes, client.institution, client.jurisdiction)
        )
        return {
            "access_token": signed["access_token"],
            "token_type": "Bearer",
            "expires_in": self.settings.token_lifetime,
            "scope": " ".join(scopes),
        }
