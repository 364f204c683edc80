"""`python -m tests.serve_hub PORT`: the hub's web app from the environment's settings, as `hub serve` runs it
but without sandboxes or background syncs (for tests that need hub processes of their own)."""

from __future__ import annotations

import sys

import uvicorn

from hub.app import Hub
from hub.settings import Settings
from hub.web.app import create_app


def main() -> None:
    app = create_app(Hub.create(Settings.from_env()))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", proxy_headers=False)


if __name__ == "__main__":
    main()
