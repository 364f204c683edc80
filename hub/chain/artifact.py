"""The compiled audit registry contract shipped with the hub (see `compile_contract.py`)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONTRACT_NAME = "AuditRegistry"
SOURCE_NAME = "AuditRegistry.sol"
CONTRACTS_DIR = Path(__file__).resolve().parent / "contracts"
SOURCE_PATH = CONTRACTS_DIR / SOURCE_NAME
ARTIFACT_PATH = CONTRACTS_DIR / f"{CONTRACT_NAME}.json"


@dataclass(frozen=True)
class RegistryArtifact:
    abi: list[dict[str, Any]]
    bytecode: bytes
    deployed_bytecode: bytes
    compiler_version: str
    evm_version: str
    source_sha256: str


@functools.cache
def registry_artifact() -> RegistryArtifact:
    document = json.loads(ARTIFACT_PATH.read_text())
    return RegistryArtifact(
        abi=document["abi"],
        bytecode=bytes.fromhex(document["bytecode"].removeprefix("0x")),
        deployed_bytecode=bytes.fromhex(document["deployedBytecode"].removeprefix("0x")),
        compiler_version=document["compiler"]["version"],
        evm_version=document["settings"]["evmVersion"],
        source_sha256=document["sourceSha256"],
    )
