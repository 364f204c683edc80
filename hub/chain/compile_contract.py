"""Compile `contracts/AuditRegistry.sol` with solc-js through standard JSON and write `AuditRegistry.json`.

    python -m hub.chain.compile_contract            # regenerate the artifact
    python -m hub.chain.compile_contract --check    # exit 1 when the artifact does not match the source

solc-js (npm package `solc`, version pinned below) is installed with npm into `.npm-tools/` at the root of
the checkout when it is missing there. The EVM version is pinned: the same source always gives the same
bytecode, and the artifact in the repo can be checked against the source.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from hub.chain.artifact import ARTIFACT_PATH, CONTRACT_NAME, SOURCE_NAME, SOURCE_PATH

SOLC_VERSION = "0.8.37"
# Paris (the Merge) has no PUSH0, so the registry deploys on every post-merge EVM chain, including ones that
# never adopted Shanghai; py-evm (Paris to Prague) and anvil run it.
EVM_VERSION = "paris"
OPTIMIZER_RUNS = 200
DEFAULT_TOOLS_DIR = Path(__file__).resolve().parents[2] / ".npm-tools"
COMPILE_TIMEOUT = 300.0
# Reads the standard JSON input on stdin, writes the compiler's standard JSON output on stdout.
NODE_COMPILE = """
const solc = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify({ version: solc.version(), output: JSON.parse(solc.compile(input)) }));
});
"""


class CompileError(RuntimeError):
    """solc-js could not be installed or run, or it rejected the source."""


def compiler_settings() -> dict[str, Any]:
    return {
        "evmVersion": EVM_VERSION,
        "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
        "metadata": {"bytecodeHash": "ipfs"},
    }


def standard_json_input(source: str) -> dict[str, Any]:
    selection = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]
    return {
        "language": "Solidity",
        "sources": {SOURCE_NAME: {"content": source}},
        "settings": {**compiler_settings(), "outputSelection": {SOURCE_NAME: {CONTRACT_NAME: selection}}},
    }


def ensure_solc(tools_dir: Path) -> Path:
    """The solc-js package directory under `tools_dir`, installed there with npm when missing."""
    package = tools_dir / "node_modules" / "solc"
    if _installed_version(package) == SOLC_VERSION:
        return package
    npm = shutil.which("npm")
    if npm is None:
        raise CompileError(f"solc-js {SOLC_VERSION} is not in {tools_dir} and npm is not on PATH to install it")
    command = [npm, "install", "--prefix", str(tools_dir), "--no-audit", "--no-fund", f"solc@{SOLC_VERSION}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT, check=False)
    if done.returncode != 0 or _installed_version(package) != SOLC_VERSION:
        raise CompileError(f"`{' '.join(command)}` failed: {done.stderr.strip()[-2000:]}")
    return package


def _installed_version(package: Path) -> str | None:
    try:
        version = json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None
    return str(version)


def compile_source(source: str, tools_dir: Path = DEFAULT_TOOLS_DIR) -> dict[str, Any]:
    """The artifact for `source`: abi, bytecode, deployedBytecode, the compiler's version and settings."""
    package = ensure_solc(tools_dir)
    node = shutil.which("node")
    if node is None:
        raise CompileError("node is not on PATH: solc-js needs Node.js")
    done = subprocess.run(
        [node, "-e", NODE_COMPILE, str(package)],
        input=json.dumps(standard_json_input(source)),
        capture_output=True,
        text=True,
        timeout=COMPILE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise CompileError(f"solc-js failed: {done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout)
    output = result["output"]
    errors = [error for error in output.get("errors", []) if error.get("severity") == "error"]
    if errors:
        raise CompileError("solc rejected the source: " + "; ".join(e["formattedMessage"] for e in errors))
    contract = output["contracts"][SOURCE_NAME][CONTRACT_NAME]
    return {
        "contractName": CONTRACT_NAME,
        "sourceName": SOURCE_NAME,
        "sourceSha256": hashlib.sha256(source.encode()).hexdigest(),
        "compiler": {"name": "solc-js", "version": result["version"]},
        "settings": compiler_settings(),
        "abi": contract["abi"],
        "bytecode": "0x" + contract["evm"]["bytecode"]["object"],
        "deployedBytecode": "0x" + contract["evm"]["deployedBytecode"]["object"],
    }


def artifact_text(artifact: dict[str, Any]) -> str:
    return json.dumps(artifact, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.chain.compile_contract", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the artifact in the repo, write nothing")
    parser.add_argument("--tools-dir", type=Path, default=DEFAULT_TOOLS_DIR, help="where npm installs solc-js")
    args = parser.parse_args(argv)
    try:
        artifact = compile_source(SOURCE_PATH.read_text(), args.tools_dir)
    except (CompileError, subprocess.TimeoutExpired) as error:
        print(error, file=sys.stderr)
        return 2
    if args.check:
        if ARTIFACT_PATH.read_text() != artifact_text(artifact):
            print(f"{ARTIFACT_PATH} does not match {SOURCE_PATH}: run python -m hub.chain.compile_contract")
            return 1
        print(f"{ARTIFACT_PATH.name} matches {SOURCE_PATH.name}")
        return 0
    ARTIFACT_PATH.write_text(artifact_text(artifact))
    print(f"wrote {ARTIFACT_PATH} ({artifact['compiler']['version']}, evmVersion {EVM_VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
