"""Audit entries touching known jurisdictions, written as the services write them (append_entry in a transaction)."""

from __future__ import annotations

from hub.app import Hub
from hub.audit.log import append_entry


async def write_entries(hub: Hub, jurisdictions: list[list[str]], actor: str = "crecc-app") -> None:
    for n, places in enumerate(jurisdictions):
        async with hub.sessions.begin() as session:
            await append_entry(session, actor, "transfer.updated", f"transfer:T{n}", places, {"n": n, "to": places})


# seq 1: CN, 2: FR, 3: CN+FR, 4: DE, 5: CN
MIXED = [["CN"], ["FR"], ["CN", "FR"], ["DE"], ["CN"]]
