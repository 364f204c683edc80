"""Every decision text (outcomes, rules, exceptions, documents, HS reasons, facts) is translated in zh, ar, ru
and fr, keeps its placeholders, and a decision told in each language carries no English rule text."""

from __future__ import annotations

import string

import pytest

from hub.clearance import RuleTable, decide, explain
from hub.clearance.messages import MESSAGES
from hub.clearance.translation import translator
from tests.hub.clearance.crossings import item, trade

LANGUAGES = ("zh", "ar", "ru", "fr")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def without_placeholders(text: str) -> str:
    """What a reader sees of a template besides its values: "{message} ({article})" has no words of its own."""
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_decision_text_is_translated_with_its_placeholders(language: str) -> None:
    translate = translator(language)
    words = [text for text in MESSAGES.values() if any(c.isalpha() for c in without_placeholders(text))]
    assert [text for text in words if translate(text) == text] == []
    for text in MESSAGES.values():
        assert placeholders(translate(text)) == placeholders(text), (language, text)


def test_english_is_the_source_and_unknown_languages_fall_back_to_it() -> None:
    text = MESSAGES["rule.cn_exit_1911"]
    assert translator("en-GB")(text) == text
    assert translator("de", "fr-CA")(text).startswith("Les biens culturels fabriqués en 1911")
    assert translator("xx")(text) == text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_prohibition_is_explained_entirely_in_the_language_asked(table: RuleTable, language: str) -> None:
    horse = item(origin_country="CN", kind="CERAMIC", year=700, relic_grade="2", material="earthenware")
    decision = decide(table, horse, trade(destination="FR"))
    translate = translator(language)
    explanation = explain(decision, translate)
    assert explanation.summary == translate(MESSAGES["outcome.prohibited"]) != MESSAGES["outcome.prohibited"]
    for line, rule in zip(explanation.rules, decision.fired_rules, strict=True):
        assert line.startswith(translate(MESSAGES[rule.message_id]))
        assert not line.startswith(MESSAGES[rule.message_id])
        assert rule.instrument in line  # the legal citation as it is
