from __future__ import annotations

from hub.core.json_nesting import depth_over_limit, json_depth


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth(b'{"query": "{ a { b { c } } }", "variables": {"x": [1, [2]]}}') == 4
    assert json_depth(b'{"s": "\\"[[[["}') == 1
    assert json_depth(b"") == 0


def test_depth_over_limit_names_the_depth_only_past_the_limit() -> None:
    assert depth_over_limit(b"[" * 3 + b"]" * 3, limit=3) is None
    assert depth_over_limit(b"[" * 4 + b"]" * 4, limit=3) == 4
    assert depth_over_limit(b'{"q": "' + b"{" * 100 + b'"}', limit=3) is None  # braces of a GraphQL document
    assert depth_over_limit(b"[[]]" * 100, limit=3) is None  # many brackets, shallow
