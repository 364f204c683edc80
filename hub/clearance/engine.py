"""Facts in, decision out: every rule in force on the decision date is evaluated against one crossing.

A rule fires when its condition is TRUE, or UNKNOWN because a fact is missing (the stricter case); its
first exception whose condition is TRUE replaces its outcome and document. The overall outcome is the
strictest one fired: PROHIBITED, then LICENCE_REQUIRED, then ALLOWED.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import MappingProxyType
from typing import Any

from hub.clearance.conditions import Context, Truth, normalise_name
from hub.clearance.decision import (
    IMPORTER,
    AppliedException,
    ComplianceDecision,
    FiredRule,
    HsSuggestion,
    MissingFact,
    RequiredDocument,
)
from hub.clearance.facts import ItemFacts, TradeFacts
from hub.clearance.rule_table import Outcome, Rule, RuleTable


def decide(table: RuleTable, item: ItemFacts, trade: TradeFacts) -> ComplianceDecision:
    context = build_context(table, item, trade)
    fired = [
        fired_rule
        for rule in table.candidate_rules(context, trade.decided_on)
        if (fired_rule := _evaluate(rule, context)) is not None
    ]
    outcome = max((rule.outcome for rule in fired), key=lambda outcome: outcome.rank, default=Outcome.ALLOWED)
    return ComplianceDecision(
        outcome=outcome,
        rule_table_version=table.version,
        rule_table_digest=table.digest,
        decided_on=trade.decided_on,
        fired_rules=tuple(fired),
        required_documents=_required_documents(table, fired, context),
        missing_facts=_missing_facts(fired),
        facts=_facts_used(item, trade, context),
        hs_code=suggest_hs_code(table, item, trade.decided_on, context),
    )


def build_context(table: RuleTable, item: ItemFacts, trade: TradeFacts | None, on: date | None = None) -> Context:
    """The facts as conditions read them; without a trade (for HS codes) the trade fields are empty."""
    flags = item.flags
    if item.export_restricted is not None:
        flags = MappingProxyType({**flags, "export_restricted": item.export_restricted})
    decision_date = trade.decided_on if trade is not None else on
    if decision_date is None:
        raise ValueError("a decision date is needed: give a trade or `on`")
    return Context(
        origin=item.origin_country,
        export_country=trade.exporting_from(item) if trade is not None else "",
        destination=trade.destination if trade is not None else "",
        purpose=trade.purpose if trade is not None else "",
        kind=item.kind,
        grade=item.relic_grade,
        earliest_year=item.earliest_year,
        latest_year=item.latest_year,
        decision_year=decision_date.year,
        materials=table.materials.normalise(item.material),
        value_eur=trade.value_eur if trade is not None else None,
        creators=tuple(normalise_name(name) for name in item.creators),
        flags=flags,
    )


def _evaluate(rule: Rule, context: Context) -> FiredRule | None:
    truth, assumed = rule.fires(context)
    if truth is Truth.FALSE:
        return None
    outcome, document, applied = rule.outcome, rule.document, None
    for exception in rule.exceptions:
        exception_truth, exception_unknowns = exception.applies(context)
        if exception_truth is Truth.TRUE:
            outcome, document = exception.outcome, exception.document
            applied = AppliedException(exception.id, exception.article, exception.message_id, rule.outcome)
            break
        assumed = assumed | exception_unknowns
    return FiredRule(
        rule_id=rule.id,
        jurisdiction=rule.jurisdiction,
        direction=rule.direction,
        instrument=rule.instrument,
        article=rule.article,
        outcome=outcome,
        document=document,
        message_id=rule.message_id,
        exception=applied,
        assumed=tuple(sorted(assumed)),
    )


def _party(role: str, context: Context) -> str:
    return {
        "origin": context.origin,
        "export_country": context.export_country,
        "destination": context.destination,
        "importer": IMPORTER,
    }[role]


def _required_documents(table: RuleTable, fired: list[FiredRule], context: Context) -> tuple[RequiredDocument, ...]:
    rules_by_document: dict[str, list[str]] = defaultdict(list)
    for rule in fired:
        if rule.outcome is Outcome.LICENCE_REQUIRED and rule.document is not None:
            rules_by_document[rule.document].append(rule.rule_id)
    documents = []
    for code, rule_ids in rules_by_document.items():
        spec = table.documents[code]
        documents.append(
            RequiredDocument(
                code=code,
                issued_by=_party(spec.issued_by, context),
                presented_to=_party(spec.presented_to, context),
                message_id=spec.message_id,
                rules=tuple(rule_ids),
            )
        )
    return tuple(documents)


def _missing_facts(fired: list[FiredRule]) -> tuple[MissingFact, ...]:
    rules_by_fact: dict[str, list[str]] = defaultdict(list)
    for rule in fired:
        for fact in rule.assumed:
            rules_by_fact[fact].append(rule.rule_id)
    return tuple(MissingFact(fact, tuple(rule_ids)) for fact, rule_ids in sorted(rules_by_fact.items()))


def _facts_used(item: ItemFacts, trade: TradeFacts, context: Context) -> dict[str, Any]:
    return {
        "item": item.as_record(),
        "trade": trade.as_record(),
        "derived": {
            "export_country": context.export_country,
            "materials": None if context.materials is None else sorted(context.materials),
            "decision_year": context.decision_year,
        },
    }


def suggest_hs_code(table: RuleTable, item: ItemFacts, on: date, context: Context | None = None) -> HsSuggestion:
    """The first HS entry of the table that surely matches; entries skipped for want of a fact are `depends_on`.

    When such a skipped entry has the same heading, only the heading is given: the subheading is open.
    """
    if context is None:
        context = build_context(table, item, None, on)
    open_headings: set[str] = set()
    depends_on: set[str] = set()
    for entry in table.candidate_hs_codes(context):
        truth, unknowns = entry.matches(context)
        if truth is Truth.UNKNOWN:
            open_headings.add(entry.heading)
            depends_on |= unknowns
        elif truth is Truth.TRUE:
            settled = entry.heading not in open_headings
            return HsSuggestion(
                heading=entry.heading,
                subheading=entry.subheading if settled else None,
                entry_id=entry.id,
                message_id=entry.message_id,
                depends_on=tuple(sorted(depends_on)),
            )
    return HsSuggestion(None, None, None, "hs.none", tuple(sorted(depends_on)))
