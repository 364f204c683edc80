"""`hub audit verify [--json] [--key]`, `hub audit checkpoint`, `hub audit key`: exit status 0 only when the log,
its checkpoints and their signatures hold."""

from __future__ import annotations

import json
import re

from hub.app import Hub
from hub.audit.signed_note import NoteVerifier, open_checkpoint
from hub.auth.principal import Principal
from tests import records
from tests.hub.audit.tampering import tamper
from tests.hub.cli.support import run_hub


async def test_audit_verify_command_exits_zero_only_when_the_chain_holds(hub: Hub, database_url: str) -> None:
    pusher = Principal(client_id="nlc-app", scopes=frozenset({"catalogue:write"}), institution="NLC")
    await hub.push.upsert(pusher, None, [records.SOGDIAN_BOOK])
    env = {"HUB_DATABASE_URL": database_url}
    code, out, _err = await run_hub("audit", "checkpoint", env=env)
    assert code == 0 and json.loads(out)["tree_size"] == 1
    code, key, _err = await run_hub("audit", "key", env=env)
    verifier = NoteVerifier.parse(key)
    assert open_checkpoint(json.loads(out)["note"], verifier).tree_size == 1
    code, out, _err = await run_hub("audit", "verify", "--key", key.strip(), env=env)
    # (with the anchoring branch installed the sentence adds the anchors checked: none were made here)
    assert code == 0 and re.fullmatch(r"audit log: all 1 entries verified \(1 checkpoints(, 0 anchors)?\)\n", out)
    await tamper(hub, "UPDATE audit_entries SET subject = 'institution:TWMM' WHERE seq = 1")
    code, out, _err = await run_hub("audit", "verify", "--json", env=env)
    assert code == 1
    assert json.loads(out) == {
        "ok": False,
        "entries": 0,
        "checkpoints": 0,
        "first_bad_seq": 1,
        "bad_checkpoint": None,
        "problem": "entry 1 does not match its hash",
        "anchors": None,  # not looked at when the log itself does not hold
    }
    code, out, _err = await run_hub("audit", "verify", env=env)
    assert code == 1 and out == "audit log: FAILED at entry 1: entry 1 does not match its hash\n"
