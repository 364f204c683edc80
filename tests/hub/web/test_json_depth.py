from __future__ import annotations

import json

import httpx

from tests.support import LiveServer


async def test_json_nested_100000_levels_is_refused_with_400_and_a_clear_error(live_hub: LiveServer) -> None:
    deep = '{"query": "{ institutions { code } }", "variables": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    async with httpx.AsyncClient(base_url=live_hub.url) as http:
        posted = await http.post("/graphql", content=deep, headers={"Content-Type": "application/json"})
        variables = json.dumps({"x": [[[[]]]]}).replace("[[[[]]]]", "[" * 50 + "]" * 50)
        got = await http.get("/graphql", params={"query": "{ institutions { code } }", "variables": variables})
        fine = await http.post("/graphql", json={"query": "{ institutions { code } }", "variables": {"x": [[1]]}})
    assert posted.status_code == 400
    [error] = posted.json()["errors"]
    assert error["message"] == "request JSON nests 100002 levels deep, over the limit of 32"
    assert error["extensions"] == {"code": "BAD_REQUEST", "maxDepth": 32}
    assert got.status_code == 400
    assert fine.status_code == 200
