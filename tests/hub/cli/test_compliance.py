"""`hub compliance check`: the decision a transfer would get, in the operator's language, creating nothing."""

from __future__ import annotations

import json

from hub.app import Hub
from tests.hub.clearance.holdings import audit_count, store_holdings
from tests.hub.cli.conftest import HubCli


async def test_compliance_check_explains_the_decision_in_the_language_asked(hub: Hub, hub_cli: HubCli) -> None:
    await store_holdings(hub)
    before = await audit_count(hub)
    status, out, _ = await hub_cli(
        "compliance", "check", "TWMM:TW-1985", "--destination", "FR", "--value", "20000", "EUR"
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[1].startswith("LICENCE_REQUIRED (rule table 2026.11.1")
    assert "Every cultural relic leaving China needs an exit examination" in out
    assert "Suggested HS code 9701.91" in out
    status, out, _ = await hub_cli("compliance", "check", "TWMM:TW-0001", "--destination", "FR", "--lang", "fr")
    assert status == 0
    assert out.splitlines()[1].startswith("PROHIBITED")
    assert "Les biens culturels fabriqués en 1911 ou avant ne peuvent pas quitter la Chine." in out
    assert await audit_count(hub) == before


async def test_compliance_check_json_is_the_decision_record(hub: Hub, hub_cli: HubCli) -> None:
    ids = await store_holdings(hub)
    status, out, _ = await hub_cli(
        "compliance", "check", str(ids["CR-0001"]), "--destination", "FR", "--purpose", "LOAN", "--json", "--lang", "zh"
    )
    assert status == 0
    record = json.loads(out)
    assert record["outcome"] == "LICENCE_REQUIRED"
    assert [d["document"] for d in record["required_documents"]] == ["PRC_EXHIBITION_APPROVAL"]
    assert record["facts"]["trade"]["purpose"] == "LOAN"
    assert record["item_id"] == ids["CR-0001"]
    assert any("国家文物局" in line for line in record["explanation"])


async def test_compliance_check_refuses_an_unknown_item_and_a_bad_country(hub: Hub, hub_cli: HubCli) -> None:
    await store_holdings(hub)
    status, _, err = await hub_cli("compliance", "check", "TWMM:NOPE", "--destination", "FR")
    assert (status, err.strip()) == (1, "hub: There is no catalogue item TWMM:NOPE.")
    status, _, err = await hub_cli("compliance", "check", "TWMM:TW-1985", "--destination", "FRA")
    assert (status, err.strip()) == (1, "hub: 'FRA' is not a country code such as CN or FR.")
