"""Test support: an anvil node (npm package @foundry-rs/anvil, installed into .npm-tools/ by .ci/run) on a
loopback port, keeping its state in a file so that it comes back with its blocks after a restart."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOLS_DIR = ROOT / ".npm-tools"
ANVIL_PACKAGE = "@foundry-rs/anvil@1.7.1"
ANVIL_CHAIN_ID = 31337
# anvil's well-known development accounts (from its default mnemonic): public test keys, funded at genesis.
ANVIL_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
)


def anvil_binary() -> Path | None:
    """The native anvil binary from the npm package (its node wrapper would stand between us and signals)."""
    found = sorted(TOOLS_DIR.glob("node_modules/@foundry-rs/anvil-*/bin/anvil"))
    if found:
        return found[0]
    on_path = shutil.which("anvil")
    return Path(on_path) if on_path else None


def require_anvil() -> Path:
    """The anvil binary; a test without it is skipped, except under CI, where it must be there."""
    binary = anvil_binary()
    if binary is not None:
        return binary
    reason = f"anvil is not installed: npm install --prefix {TOOLS_DIR} {ANVIL_PACKAGE}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (.ci/run installs it; under CI a missing anvil is a failure)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AnvilNode:
    """One anvil process at a time on a fixed loopback port, its state in `state_file` across restarts."""

    def __init__(self, binary: Path, state_file: Path) -> None:
        self.binary = binary
        self.state_file = state_file
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        command = [str(self.binary), "--host", "127.0.0.1", "--port", str(self.port), "--silent"]
        command += ["--chain-id", str(ANVIL_CHAIN_ID), "--state", str(self.state_file)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"anvil exited with {self.process.returncode}: {stderr}")
            if self.answers():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"anvil did not answer on {self.url} within {timeout} s")

    def answers(self) -> bool:
        request = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
        try:
            return httpx.post(self.url, json=request, timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """SIGTERM: anvil writes its state file on the way out."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None
