from __future__ import annotations

import pytest

from hub.auth.principal import Principal
from hub.core.message_catalogs import domains, problems
from hub.core.translations import LANGUAGES, Message, catalog_language, render
from hub.core.user_errors import Refused

TWMM_TRADER = Principal(client_id="twmm-app", scopes=frozenset({"catalogue:write"}), institution="TWMM")


def refusal_text() -> Message:
    with pytest.raises(Refused) as refused:
        TWMM_TRADER.bound_to("catalogue:write", "NLC", "write the catalogue of")
    message = refused.value.errors[0].message
    assert isinstance(message, Message)
    return message


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (["fr-FR", "en"], "fr"),
        (["zh-Hant-TW"], "zh"),
        (["de", "ru"], "ru"),
        (["AR"], "ar"),
        (["de", "ja"], "en"),
        ([], "en"),
    ],
)
def test_catalog_language_takes_the_first_spoken_primary_language(accept: list[str], expected: str) -> None:
    assert catalog_language(accept) == expected


def test_message_renders_english_source_text_by_default() -> None:
    assert str(refusal_text()) == "a catalogue:write token of TWMM may not write the catalogue of NLC"


@pytest.mark.parametrize("language", [tag for tag in LANGUAGES if tag != "en"])
def test_message_renders_in_each_language_with_the_values_named(language: str) -> None:
    text = refusal_text().render([language])
    assert text != str(refusal_text())
    assert "TWMM" in text and "NLC" in text


def test_message_with_unknown_text_falls_back_to_english_source() -> None:
    assert Message("core", "No such text {n}.", n=3).render(["fr"]) == "No such text 3."


def test_render_shows_plain_strings_unchanged() -> None:
    assert render("already English", ["zh"]) == "already English"


@pytest.mark.parametrize("domain", domains())
def test_catalogs_translate_every_marked_text_of_the_domain(domain: str) -> None:
    assert list(problems(domain)) == []


def test_catalogs_exist_for_the_core_domain() -> None:
    assert "core" in domains()
