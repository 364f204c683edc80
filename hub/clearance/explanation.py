"""A decision told in the caller's language, through a gettext-style function (English source text in, translation out).

Legal citations and country codes stay as they are; everything else goes through `translate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hub.clearance.decision import IMPORTER, ComplianceDecision, FiredRule
from hub.clearance.messages import MESSAGES

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Explanation:
    summary: str
    rules: tuple[str, ...]
    documents: tuple[str, ...]
    missing_facts: tuple[str, ...]
    hs_code: str

    def lines(self) -> list[str]:
        return [self.summary, *self.rules, *self.documents, *self.missing_facts, self.hs_code]


def explain(decision: ComplianceDecision, translate: Translate) -> Explanation:
    def text(message_id: str, **values: str) -> str:
        return translate(MESSAGES[message_id]).format(**values)

    return Explanation(
        summary=text(f"outcome.{decision.outcome.value.lower()}"),
        rules=tuple(_rule_line(rule, text) for rule in decision.fired_rules),
        documents=tuple(
            text(
                "explain.document",
                document=text(document.message_id),
                issuer=text("issuer.importer") if document.issued_by == IMPORTER else document.issued_by,
                presented_to=document.presented_to,
            )
            for document in decision.required_documents
        ),
        missing_facts=tuple(
            text("explain.missing", fact=_fact(fact.fact, text), rules=", ".join(fact.rules))
            for fact in decision.missing_facts
        ),
        hs_code=_hs_line(decision, text),
    )


def _fact(fact: str, text: Callable[..., str]) -> str:
    if fact.startswith("flags."):
        return str(text(f"flag.{fact.removeprefix('flags.')}"))
    return str(text(f"fact.{fact}"))


def _rule_line(rule: FiredRule, text: Callable[..., str]) -> str:
    line = str(text("explain.rule", message=text(rule.message_id), instrument=rule.instrument, article=rule.article))
    if rule.exception is not None:
        line += " " + text("explain.exception", message=text(rule.exception.message_id), article=rule.exception.article)
    if rule.assumed:
        line += " " + text("explain.assumed", facts=", ".join(_fact(fact, text) for fact in rule.assumed))
    return line


def _hs_line(decision: ComplianceDecision, text: Callable[..., str]) -> str:
    suggestion = decision.hs_code
    line = str(text("explain.hs_code", code=suggestion.code or "-", reason=text(suggestion.message_id)))
    if suggestion.depends_on:
        line += " " + text("explain.hs_uncertain", facts=", ".join(_fact(fact, text) for fact in suggestion.depends_on))
    return line
