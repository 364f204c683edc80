from __future__ import annotations

from connectors.records import RejectedRecord


def test_rejection_is_bounded_on_construction() -> None:
    rejection = RejectedRecord("R-1", "reason " * 1000, "开" * 10_000)
    assert len(rejection.reason) == 500 and rejection.reason.endswith("…")
    assert len(rejection.excerpt.encode()) <= 2048 and rejection.excerpt.endswith("…")


def test_rejection_keeps_no_unusable_source_id() -> None:
    assert RejectedRecord("x" * 256, "too long", "{}").source_id is None
    assert RejectedRecord("  ", "blank", "{}").source_id is None
    assert RejectedRecord(" R-1 ", "padded", "{}").source_id == "R-1"


def test_rejection_key_is_its_source_id_else_a_hash_of_its_excerpt() -> None:
    assert RejectedRecord("R-1", "bad grade", "{}").key == "R-1"
    nameless = RejectedRecord(None, "no id", '{"title": "x"}')
    assert nameless.key.startswith("sha256:") and len(nameless.key) == 71
    assert nameless.key == RejectedRecord(None, "other reason", '{"title": "x"}').key
    assert nameless.key != RejectedRecord(None, "no id", '{"title": "y"}').key
