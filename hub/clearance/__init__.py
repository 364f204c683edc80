"""Clearance: the compliance engine (rule table, facts, decisions, HS codes, explanations)."""

from hub.clearance.decision import ComplianceDecision, FiredRule, HsSuggestion, MissingFact, RequiredDocument
from hub.clearance.engine import decide, suggest_hs_code
from hub.clearance.explanation import Explanation, explain
from hub.clearance.facts import FactsError, ItemFacts, TradeFacts
from hub.clearance.rule_table import Outcome, RuleTable, RuleTableError, load_rule_table

__all__ = [
    "ComplianceDecision",
    "Explanation",
    "FactsError",
    "FiredRule",
    "HsSuggestion",
    "ItemFacts",
    "MissingFact",
    "Outcome",
    "RequiredDocument",
    "RuleTable",
    "RuleTableError",
    "TradeFacts",
    "decide",
    "explain",
    "load_rule_table",
    "suggest_hs_code",
]
