"""The README works word for word: its shell blocks run in order against a hub started as its quick start says, in
a directory of their own (a fresh ./var), and its GraphQL blocks run or validate against the schema.

Every ```sh and ```graphql block carries a marker comment (see the top of README.md): serve, run, query, valid or
skip. The only rewrite: the hub serves on a free port instead of 8000, and its sandboxes on free ports.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, validate

from hub.web.graphiql import example_query
from schema.app import schema
from tests.support import free_ports

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!-- readme-test: (serve|run|query|valid|skip)\b([^>]*)-->\s*$")
README_ADDRESS = "127.0.0.1:8000"


@dataclass(frozen=True)
class Block:
    language: str
    marker: str
    text: str
    line: int


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.match(before)
        line = text[: match.start()].count("\n") + 1
        blocks.append(Block(match.group(1), marker.group(1) if marker else "", match.group(2), line))
    return blocks


def marked(*markers: str, language: str | None = None) -> list[Block]:
    return [b for b in readme_blocks() if b.marker in markers and (language is None or b.language == language)]


def test_readme_every_shell_and_graphql_block_says_how_it_is_tested() -> None:
    unmarked = [b.line for b in readme_blocks() if b.language in ("sh", "graphql") and not b.marker]
    assert unmarked == [], f"README blocks at lines {unmarked} need a <!-- readme-test: ... --> marker"
    assert len(marked("run", language="sh")) >= 5


def test_readme_quick_start_serves_from_a_fresh_clone_with_the_venvs_hub() -> None:
    (serve,) = marked("serve")
    assert serve.text.strip() == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/hub serve"
    for block in marked("run", language="sh"):
        commands = re.findall(r"(?:^|[|;&(]\s*|\$\()\s*(hub|\.venv/bin/hub)\b", block.text, re.MULTILINE)
        assert "hub" not in commands, f"line {block.line}: call .venv/bin/hub (the venv is never activated)"


def test_readme_example_query_is_the_one_graphiql_opens_with() -> None:
    first_query = marked("query", language="graphql")[0]
    assert first_query.text == example_query()


@pytest.mark.parametrize("block", marked("query", "valid", language="graphql"), ids=lambda b: f"line{b.line}")
def test_readme_graphql_block_is_valid_against_the_schema(block: Block) -> None:
    assert validate(schema._schema, parse(block.text)) == []


def no_graphql_errors(value: Any, where: str) -> None:
    """Fails on a top-level `errors` of a GraphQL answer or a non-empty payload `errors` anywhere in it."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert not (key == "errors" and item), f"{where}: {json.dumps(value, ensure_ascii=False)}"
            no_graphql_errors(item, where)
    elif isinstance(value, list):
        for item in value:
            no_graphql_errors(item, where)


def json_documents(output: str) -> Iterator[Any]:
    for line in output.splitlines():
        if line.startswith(("{", "[")):
            yield json.loads(line)


@dataclass
class ReadmeHub:
    directory: Path
    env: dict[str, str]
    url: str


@pytest.fixture
async def readme_hub(tmp_path: Path) -> AsyncIterator[ReadmeHub]:
    """`.venv/bin/hub serve` as the quick start runs it, in a directory of its own whose .venv is this one."""
    venv_bin = Path(sys.executable).parent
    assert (venv_bin / "hub").exists(), f"no hub script in {venv_bin}: pip install -e '.[test]' first"
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "bin").symlink_to(venv_bin)
    port = free_ports(1)
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HUB_", "VIRTUAL_ENV"))}
    env["HUB_SANDBOX_PORT"] = str(free_ports(3))
    log = (tmp_path / "serve.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        ".venv/bin/hub", "serve", "--port", str(port), cwd=tmp_path, env=env, stdout=log, stderr=log
    )
    hub = ReadmeHub(tmp_path, env, f"http://127.0.0.1:{port}")
    try:
        await harvested(hub, process)
        yield hub
    finally:
        process.terminate()
        await process.wait()
        log.close()


async def harvested(hub: ReadmeHub, process: asyncio.subprocess.Process) -> None:
    """Waits until the served hub has harvested its three partners once."""
    query = {"query": "{ institutions { code syncStatus } }"}
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=hub.url) as http:
        while time.monotonic() < deadline and process.returncode is None:
            try:
                body = (await http.post("/graphql", json=query)).json()
                if {i["syncStatus"] for i in body["data"]["institutions"]} == {"OK"}:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.3)
    log = (hub.directory / "serve.log").read_text()
    pytest.fail(f"the hub of the quick start did not harvest its partners within 60 s:\n{log}")


async def test_readme_shell_blocks_run_word_for_word_against_the_quick_starts_hub(readme_hub: ReadmeHub) -> None:
    blocks = marked("run", language="sh")
    script = ["set -eo pipefail"]
    for number, block in enumerate(blocks):
        # A new line first: curl's answer has none at its end.
        script += [f"printf '\\n::block {number} (README line {block.line})\\n'", block.text.rstrip("\n")]
    script.append("printf '\\n::done\\n'")
    text = "\n".join(script).replace(README_ADDRESS, readme_hub.url.removeprefix("http://"))
    process = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        text,
        cwd=readme_hub.directory,
        env=readme_hub.env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(process.communicate(), timeout=300))[0].decode()
    assert process.returncode == 0 and output.rstrip().endswith("::done"), output
    for document in json_documents(output):
        no_graphql_errors(document, "a README block's output")
    pushed = [d for d in json_documents(output) if isinstance(d, dict) and "upsertCatalogueItems" in d.get("data", {})]
    assert pushed and pushed[0]["data"]["upsertCatalogueItems"]["items"][0]["title"] == "開元錢譜", output
    async with httpx.AsyncClient(base_url=readme_hub.url) as http:
        for block in marked("query", language="graphql"):
            answer = (await http.post("/graphql", json={"query": block.text})).json()
            no_graphql_errors(answer, f"README line {block.line}")
            assert answer["data"], answer
