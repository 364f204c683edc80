from __future__ import annotations

from connectors.clip import clip, clip_utf8, quote_long


def test_clip_keeps_a_short_text_and_marks_a_cut_one() -> None:
    assert clip("Kaiyuan", 7) == "Kaiyuan"
    assert clip("Kaiyuan tongbao", 8) == "Kaiyuan…"
    assert len(clip("x" * 10_000, 500)) == 500


def test_clip_utf8_counts_bytes_and_never_splits_a_character() -> None:
    text = "开元通宝" * 1000  # 3 bytes a character
    cut = clip_utf8(text, 2048)
    assert len(cut.encode()) <= 2048 and cut.endswith("…") and text.startswith(cut[:-1])
    assert clip_utf8("开元", 6) == "开元"


def test_quote_long_shows_the_start_and_the_length_only() -> None:
    assert quote_long("short") == "'short'"
    quoted = quote_long("T" * 200_000_000)
    assert quoted == "'" + "T" * 60 + "'… (200,000,000 characters)"
