"""Run one hostile partner alone: `python -m tests.connectors.hostile huge-token 200000000`.

Prints its base URL on a line, then serves until it is terminated.
"""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web

from tests.connectors.hostile.relics import RelicsPartner, relic
from tests.connectors.hostile.server import EndlessBody, serving


def partner(kind: str, size: int) -> web.Application:
    if kind == "huge-token":
        return RelicsPartner([relic("R-1")], token_chars=size).make_app()
    if kind == "endless-body":
        return EndlessBody(b'{"items": [', b" ").make_app()
    if kind == "normal":
        return RelicsPartner([relic(f"R-{n:06d}") for n in range(size)], page_size=100).make_app()
    raise SystemExit(f"unknown hostile partner {kind!r}: huge-token, endless-body or normal")


async def serve(kind: str, size: int) -> None:
    async with serving(partner(kind, size)) as url:
        print(url, flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["huge-token", "endless-body", "normal"])
    parser.add_argument("size", type=int, nargs="?", default=200_000_000, help="token characters, or records")
    args = parser.parse_args()
    asyncio.run(serve(args.kind, args.size))


if __name__ == "__main__":
    main()
