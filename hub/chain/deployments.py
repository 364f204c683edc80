"""Where the audit registry lives on each chain. The hub keeps this in its database; tests keep it in memory
or in a JSON file."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Protocol

from hub.chain.anchors import Deployment


class ChainDeployments(Protocol):
    async def get(self, chain_id: int) -> Deployment | None:
        """The registry last deployed on chain `chain_id`, if any."""
        ...

    async def put(self, deployment: Deployment) -> None:
        """Remembers `deployment`, replacing the one known for its chain (whose contract was found missing)."""
        ...


class MemoryDeployments:
    def __init__(self) -> None:
        self.known: dict[int, Deployment] = {}

    async def get(self, chain_id: int) -> Deployment | None:
        return self.known.get(chain_id)

    async def put(self, deployment: Deployment) -> None:
        self.known[deployment.chain_id] = deployment


class JsonFileDeployments:
    """A JSON object of chain id to deployment in one file, replaced atomically on every write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def get(self, chain_id: int) -> Deployment | None:
        return (await asyncio.to_thread(self._read)).get(chain_id)

    async def put(self, deployment: Deployment) -> None:
        await asyncio.to_thread(self._write, deployment)

    def _read(self) -> dict[int, Deployment]:
        try:
            document = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        return {int(chain_id): Deployment(**fields) for chain_id, fields in document.items()}

    def _write(self, deployment: Deployment) -> None:
        known = self._read()
        known[deployment.chain_id] = deployment
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({str(key): asdict(value) for key, value in known.items()}, indent=2))
        os.replace(temporary, self.path)
