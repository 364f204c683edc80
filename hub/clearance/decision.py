"""A compliance decision: what the rules say about one crossing, and a JSON record of it to keep."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.clearance.rule_table import Outcome

IMPORTER = "IMPORTER"


@dataclass(frozen=True, slots=True)
class AppliedException:
    id: str
    article: str
    message_id: str
    rule_outcome: Outcome


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule whose condition held, or might hold given what is unknown (`assumed` names those facts)."""

    rule_id: str
    jurisdiction: str
    direction: str
    instrument: str
    article: str
    outcome: Outcome
    document: str | None
    message_id: str
    exception: AppliedException | None
    assumed: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {
            "id": self.rule_id,
            "jurisdiction": self.jurisdiction,
            "direction": self.direction,
            "instrument": self.instrument,
            "article": self.article,
            "outcome": self.outcome.value,
            "document": self.document,
            "message_id": self.message_id,
            "exception": None
            if self.exception is None
            else {
                "id": self.exception.id,
                "article": self.exception.article,
                "message_id": self.exception.message_id,
                "rule_outcome": self.exception.rule_outcome.value,
            },
            "assumed": list(self.assumed),
        }


@dataclass(frozen=True, slots=True)
class RequiredDocument:
    """`issued_by` is a country code, or IMPORTER for a statement the importer makes."""

    code: str
    issued_by: str
    presented_to: str
    message_id: str
    rules: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {
            "document": self.code,
            "issued_by": self.issued_by,
            "presented_to": self.presented_to,
            "message_id": self.message_id,
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True)
class MissingFact:
    fact: str
    rules: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        return {"fact": self.fact, "rules": list(self.rules)}


@dataclass(frozen=True, slots=True)
class HsSuggestion:
    """`subheading` is None when the facts do not settle it (see `depends_on`) or the table gives none."""

    heading: str | None
    subheading: str | None
    entry_id: str | None
    message_id: str
    depends_on: tuple[str, ...]

    @property
    def code(self) -> str | None:
        return self.subheading or self.heading

    def as_record(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "subheading": self.subheading,
            "entry": self.entry_id,
            "message_id": self.message_id,
            "depends_on": list(self.depends_on),
        }


@dataclass(frozen=True, slots=True)
class ComplianceDecision:
    outcome: Outcome
    rule_table_version: str
    rule_table_digest: str
    decided_on: date
    fired_rules: tuple[FiredRule, ...]
    required_documents: tuple[RequiredDocument, ...]
    missing_facts: tuple[MissingFact, ...]
    facts: Mapping[str, Any]
    hs_code: HsSuggestion

    @property
    def fired_rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule_id for rule in self.fired_rules)

    def as_record(self) -> dict[str, Any]:
        """JSON-serialisable, to be stored with the transfer (Decimals and dates as strings)."""
        return {
            "outcome": self.outcome.value,
            "rule_table": {"version": self.rule_table_version, "sha256": self.rule_table_digest},
            "decided_on": self.decided_on.isoformat(),
            "fired_rules": [rule.as_record() for rule in self.fired_rules],
            "required_documents": [document.as_record() for document in self.required_documents],
            "missing_facts": [fact.as_record() for fact in self.missing_facts],
            "facts": dict(self.facts),
            "hs_code": self.hs_code.as_record(),
        }


def decision_from_record(record: Mapping[str, Any]) -> ComplianceDecision:
    """The decision a stored record (`ComplianceDecision.as_record()`) was made from, to explain it again."""
    return ComplianceDecision(
        outcome=Outcome(record["outcome"]),
        rule_table_version=record["rule_table"]["version"],
        rule_table_digest=record["rule_table"]["sha256"],
        decided_on=date.fromisoformat(record["decided_on"]),
        fired_rules=tuple(_fired_rule(rule) for rule in record["fired_rules"]),
        required_documents=tuple(
            RequiredDocument(d["document"], d["issued_by"], d["presented_to"], d["message_id"], tuple(d["rules"]))
            for d in record["required_documents"]
        ),
        missing_facts=tuple(MissingFact(f["fact"], tuple(f["rules"])) for f in record["missing_facts"]),
        facts=record["facts"],
        hs_code=HsSuggestion(
            record["hs_code"]["heading"],
            record["hs_code"]["subheading"],
            record["hs_code"]["entry"],
            record["hs_code"]["message_id"],
            tuple(record["hs_code"]["depends_on"]),
        ),
    )


def _fired_rule(rule: Mapping[str, Any]) -> FiredRule:
    exception = rule["exception"]
    return FiredRule(
        rule_id=rule["id"],
        jurisdiction=rule["jurisdiction"],
        direction=rule["direction"],
        instrument=rule["instrument"],
        article=rule["article"],
        outcome=Outcome(rule["outcome"]),
        document=rule["document"],
        message_id=rule["message_id"],
        exception=None
        if exception is None
        else AppliedException(
            exception["id"], exception["article"], exception["message_id"], Outcome(exception["rule_outcome"])
        ),
        assumed=tuple(rule["assumed"]),
    )
