"""`python -m tests.serve_hub PORT`: the hub's web app from the environment's settings, as `hub serve` runs it
but without sandboxes or background syncs (for tests that need hub processes of their own). Its hub is started
with the app (on PostgreSQL its relays hear the other processes' catalogue changes and transfer events)."""

from __future__ import annotations

import sys

import uvicorn

from hub.web.workers import create_worker_app


def main() -> None:
    app = create_worker_app()
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", proxy_headers=False)


if __name__ == "__main__":
    main()
