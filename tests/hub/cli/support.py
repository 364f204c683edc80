"""The `hub` command as a subprocess, from the source tree."""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


async def run_hub(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    return await run_python("-m", "hub.cli", *args, env=env)


async def run_python(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env=os.environ | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


@dataclass
class Finished:
    status: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    """The command's peak resident memory (VmHWM: its own, not inherited from the process that started it)."""


PEAK_RSS_LINE = "hub-test-peak-rss-kb"
REPORTING_PEAK_RSS = f"""
import atexit, runpy, sys

def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("{PEAK_RSS_LINE}", line.split()[1], file=sys.stderr)

atexit.register(report)
sys.argv[0] = "hub"
runpy.run_module("hub.cli", run_name="__main__", alter_sys=True)
"""


async def run_hub_measured(*args: str, env: dict[str, str]) -> Finished:
    """`hub ARGS` as a subprocess that reports its peak resident memory as it exits."""
    status, stdout, stderr = await run_python("-c", REPORTING_PEAK_RSS, *args, env=env)
    kept = [line for line in stderr.splitlines() if not line.startswith(PEAK_RSS_LINE)]
    [peak] = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith(PEAK_RSS_LINE)]
    return Finished(status, stdout, "\n".join(kept), peak / 1024)
