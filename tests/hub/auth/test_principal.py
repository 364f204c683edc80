from __future__ import annotations

import pytest

from hub.auth.principal import Principal
from hub.core.user_errors import Refused

NLC_WRITER = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")
CN_REGULATOR = Principal(client_id="cn", scopes=frozenset({"audit:read"}), jurisdiction="CN")


def test_principal_bound_to_defaults_to_the_tokens_own_binding() -> None:
    assert NLC_WRITER.bound_to("catalogue:write", None, "write the catalogue of") == "NLC"
    assert NLC_WRITER.bound_to("catalogue:write", " nlc ", "write the catalogue of") == "NLC"
    assert CN_REGULATOR.bound_to("audit:read", "cn", "read the audit log of") == "CN"


@pytest.mark.parametrize(
    ("principal", "scope", "requested", "action", "field", "message"),
    [
        (
            NLC_WRITER,
            "catalogue:write",
            "TWMM",
            "write the catalogue of",
            "institution",
            "a catalogue:write token of NLC may not write the catalogue of TWMM",
        ),
        (
            CN_REGULATOR,
            "audit:read",
            "FR",
            "read the audit log of",
            "jurisdiction",
            "an audit:read token of CN may not read the audit log of FR",
        ),
        (
            Principal(client_id="x", scopes=frozenset({"audit:read"})),
            "audit:read",
            None,
            "read the audit log of",
            "jurisdiction",
            "an audit:read token of no jurisdiction may not read the audit log of no jurisdiction",
        ),
        (
            CN_REGULATOR,
            "catalogue:write",
            "NLC",
            "write the catalogue of",
            "institution",
            "a catalogue:write token of no institution may not write the catalogue of NLC",
        ),
    ],
)
def test_principal_bound_to_refuses_another_binding_naming_both(
    principal: Principal, scope: str, requested: str | None, action: str, field: str, message: str
) -> None:
    with pytest.raises(Refused) as refused:
        principal.bound_to(scope, requested, action)
    [error] = refused.value.errors
    assert (error.code.value, error.field, str(error.message)) == ("FORBIDDEN", field, message)
