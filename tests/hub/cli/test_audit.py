"""`hub audit verify [--json]`: exit status 0 only when the hash chain holds."""

from __future__ import annotations

import json

from sqlalchemy import text

from hub.app import Hub
from hub.auth.principal import Principal
from tests import records
from tests.hub.cli.support import run_hub


async def test_audit_verify_command_exits_zero_only_when_the_chain_holds(hub: Hub, database_url: str) -> None:
    pusher = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")
    await hub.push.upsert(pusher, None, [records.SOGDIAN_BOOK])
    env = {"HUB_DATABASE_URL": database_url}
    code, out, _err = await run_hub("audit", "verify", "--json", env=env)
    assert code == 0
    assert json.loads(out) == {"ok": True, "entries": 1, "first_bad_seq": None, "problem": None}
    async with hub.sessions.begin() as session:
        await session.execute(text("UPDATE audit_entries SET subject = 'institution:TWMM' WHERE seq = 1"))
    code, out, _err = await run_hub("audit", "verify", "--json", env=env)
    assert code == 1
    assert json.loads(out) == {
        "ok": False,
        "entries": 0,
        "first_bad_seq": 1,
        "problem": "entry 1 does not match its hash",
    }
    code, out, _err = await run_hub("audit", "verify", env=env)
    assert code == 1 and out == "audit log: FAILED at entry 1: entry 1 does not match its hash\n"
