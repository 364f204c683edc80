"""Test support: verifies the stored anchors in a process of its own, from the settings in the environment
(HUB_DATABASE_URL, HUB_VAR_DIR: the embedded chain is read from disk), and prints the report as JSON."""

from __future__ import annotations

import asyncio
import json

from hub.chain.anchor_checks import verify_stored_anchors
from hub.chain.anchoring import open_chain_endpoints
from hub.db import create_engine, session_factory
from hub.settings import Settings


async def main() -> None:
    settings = Settings.from_env()
    engine = create_engine(settings.database_url)
    endpoints = open_chain_endpoints(settings)
    try:
        report = await verify_stored_anchors(session_factory(engine), endpoints)
    finally:
        for endpoint in endpoints:
            await endpoint.close()
        await engine.dispose()
    problem = report.problem
    print(
        json.dumps(
            {
                "ok": report.ok,
                "checked": report.checked,
                "subject": problem.subject if problem else None,
                "problem": problem.problem if problem else None,
                "unchecked": report.unchecked,
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
