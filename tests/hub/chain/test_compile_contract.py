"""The compiled registry in the repo is what solc-js makes of the Solidity source beside it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from hub.chain.artifact import ARTIFACT_PATH, SOURCE_PATH, registry_artifact
from hub.chain.compile_contract import EVM_VERSION, SOLC_VERSION, artifact_text, compile_source

TOOLS_DIR = Path(__file__).resolve().parents[3] / ".npm-tools"


def test_artifact_records_the_hash_of_the_source_beside_it() -> None:
    artifact = registry_artifact()
    assert artifact.source_sha256 == hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest(), (
        "AuditRegistry.sol changed since AuditRegistry.json was compiled: run python -m hub.chain.compile_contract"
    )
    assert artifact.evm_version == EVM_VERSION
    assert artifact.compiler_version.startswith(SOLC_VERSION + "+")


def test_artifact_matches_the_source_compiled_with_solc_js() -> None:
    if shutil.which("npm") is None or shutil.which("node") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npm and node are needed under CI to check the artifact against the source")
        pytest.skip("npm or node is not on PATH: cannot compile the contract to check the artifact")
    compiled = compile_source(SOURCE_PATH.read_text(), TOOLS_DIR)

    assert compiled["bytecode"] == json.loads(ARTIFACT_PATH.read_text())["bytecode"]
    assert compiled["deployedBytecode"] == "0x" + registry_artifact().deployed_bytecode.hex()
    assert artifact_text(compiled) == ARTIFACT_PATH.read_text()
    # The comparison notices an edit: even a comment changes the metadata hash in the bytecode.
    edited = compile_source(SOURCE_PATH.read_text() + "// edited\n", TOOLS_DIR)
    assert edited["deployedBytecode"] != compiled["deployedBytecode"]
