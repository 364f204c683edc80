"""A compliance decision in the graph, its texts in the caller's language (legal citations as they are)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import strawberry

from hub.clearance.decision import ComplianceDecision as DomainDecision
from hub.clearance.decision import FiredRule as DomainRule
from hub.clearance.explanation import explain
from hub.clearance.messages import MESSAGES
from hub.clearance.queues import ClearanceQueue as DomainQueue
from hub.clearance.translation import translator
from hub.clearance.views import TransferClearance as DomainClearance
from schema.money.types import Money
from schema.trading.transfer_types import Transfer


@strawberry.enum(description="What the rules say about a crossing: the strictest outcome of the rules that fired.")
class ComplianceOutcome(enum.Enum):
    ALLOWED = "ALLOWED"
    LICENCE_REQUIRED = "LICENCE_REQUIRED"
    PROHIBITED = "PROHIBITED"


@strawberry.type(description="An exception of a rule that applied, and what it relaxed the rule to.")
class RuleException:
    id: str
    article: str
    text: str


@strawberry.type(description="A rule of the table that fired, with its legal citation.")
class FiredRule:
    rule_id: str
    jurisdiction: str
    direction: str = strawberry.field(description="EXPORT or IMPORT (of the jurisdiction).")
    instrument: str = strawberry.field(description="The legal instrument, as cited.")
    article: str = strawberry.field(description="Its article, annex or note.")
    outcome: ComplianceOutcome = strawberry.field(description="After any exception.")
    document: str | None = strawberry.field(description="The document it requires, when it requires one.")
    text: str = strawberry.field(description="What the rule says, in the caller's language.")
    exception: RuleException | None
    assumed_facts: list[str] = strawberry.field(description="Facts it fired on without knowing them.")


@strawberry.type(description="A document the crossing needs, who issues it and to whom it is presented.")
class RequiredDocument:
    document: str = strawberry.field(description="Its code, such as PRC_EXIT_PERMIT.")
    name: str = strawberry.field(description="Its name, in the caller's language.")
    issued_by: str = strawberry.field(description="A country code, or IMPORTER for the importer's statement.")
    presented_to: str
    rules: list[str]


@strawberry.type(description="A fact the rules needed but the item lacks: the stricter case was assumed.")
class MissingFact:
    fact: str
    description: str
    rules: list[str]


@strawberry.type(description="The suggested HS code for the customs declaration, and why.")
class HsCodeSuggestion:
    code: str | None = strawberry.field(description="The subheading when the facts settle it, else the heading.")
    heading: str | None
    subheading: str | None
    reason: str
    depends_on: list[str]


@strawberry.type(description="A compliance decision: the outcome, every rule that fired, documents, HS code.")
class ComplianceDecision:
    outcome: ComplianceOutcome
    summary: str = strawberry.field(description="The outcome in a sentence, in the caller's language.")
    rule_table_version: str
    rule_table_sha256: str
    decided_on: date
    destination: str
    export_country: str
    purpose: str
    value_eur: Decimal | None = strawberry.field(description="The value in EUR the rules used (None: not known).")
    fx_rate_date: date | None = strawberry.field(description="The date of the FX rate the value was converted at.")
    fired_rules: list[FiredRule]
    required_documents: list[RequiredDocument]
    missing_facts: list[MissingFact]
    hs_code: HsCodeSuggestion
    explanation: list[str] = strawberry.field(description="The whole decision told line by line.")

    @classmethod
    def of(cls, decision: DomainDecision, languages: list[str]) -> ComplianceDecision:
        translate = translator(*languages)
        explained = explain(decision, translate)
        trade = decision.facts["trade"]
        return cls(
            outcome=ComplianceOutcome(decision.outcome.value),
            summary=explained.summary,
            rule_table_version=decision.rule_table_version,
            rule_table_sha256=decision.rule_table_digest,
            decided_on=decision.decided_on,
            destination=trade["destination"],
            export_country=decision.facts["derived"]["export_country"],
            purpose=trade["purpose"],
            value_eur=None if trade["value_eur"] is None else Decimal(trade["value_eur"]),
            fx_rate_date=None if trade["fx_rate_date"] is None else date.fromisoformat(trade["fx_rate_date"]),
            fired_rules=[_fired_rule(rule, translate) for rule in decision.fired_rules],
            required_documents=[
                RequiredDocument(
                    document=d.code,
                    name=_text(d.message_id, translate),
                    issued_by=d.issued_by,
                    presented_to=d.presented_to,
                    rules=list(d.rules),
                )
                for d in decision.required_documents
            ],
            missing_facts=[
                MissingFact(fact=f.fact, description=line, rules=list(f.rules))
                for f, line in zip(decision.missing_facts, explained.missing_facts, strict=True)
            ],
            hs_code=HsCodeSuggestion(
                code=decision.hs_code.code,
                heading=decision.hs_code.heading,
                subheading=decision.hs_code.subheading,
                reason=_text(decision.hs_code.message_id, translate),
                depends_on=list(decision.hs_code.depends_on),
            ),
            explanation=explained.lines(),
        )


def _text(message_id: str, translate: Callable[[str], str]) -> str:
    return translate(MESSAGES[message_id])


def _fired_rule(rule: DomainRule, translate: Callable[[str], str]) -> FiredRule:
    exception = rule.exception
    return FiredRule(
        rule_id=rule.rule_id,
        jurisdiction=rule.jurisdiction,
        direction=rule.direction,
        instrument=rule.instrument,
        article=rule.article,
        outcome=ComplianceOutcome(rule.outcome.value),
        document=rule.document,
        text=_text(rule.message_id, translate),
        exception=None
        if exception is None
        else RuleException(id=exception.id, article=exception.article, text=_text(exception.message_id, translate)),
        assumed_facts=list(rule.assumed),
    )


@strawberry.enum(description="Why the goods cross: a sale, or a loan to an exhibition (which comes back).")
class TransferPurpose(enum.Enum):
    SALE = "SALE"
    LOAN = "LOAN"


ClearanceQueue = strawberry.enum(
    DomainQueue,
    name="ClearanceQueue",
    description="A regulator's view of its jurisdiction's transfers: awaiting its decision, held, or cleared by it.",
)


@strawberry.type(description="A document the transfer needs and what its regulator decided.")
class LicenceDocument:
    document: str
    issued_by: str
    presented_to: str
    decided_by: str = strawberry.field(description="The jurisdiction whose regulator grants or denies it.")
    verdict: str = strawberry.field(description="PENDING, GRANTED or DENIED.")
    reference_number: str | None
    valid_from: date | None
    valid_until: date | None
    reason: str | None
    decided_at: datetime | None


@strawberry.type(description="The shipper's declaration of the goods to customs.")
class CustomsDeclaration:
    hs_code: str
    declared_value: Money
    origin_country: str
    destination_country: str
    consignor: str
    consignee: str
    licence_references: list[str]
    filed_at: datetime


@strawberry.type(description="Customs' decision at one border: CLEARED, HELD (with its reason) or UPHELD.")
class CustomsCheck:
    direction: str = strawberry.field(description="EXPORT (the origin's customs) or IMPORT (the destination's).")
    jurisdiction: str
    status: str
    reason: str | None
    decided_at: datetime


@strawberry.type(description="Where a transfer stands in clearance.")
class TransferClearance:
    transfer: Transfer
    decision: ComplianceDecision | None = strawberry.field(
        description="The compliance decision made at acceptance (None if another hook decided)."
    )
    documents: list[LicenceDocument]
    declaration: CustomsDeclaration | None
    customs: list[CustomsCheck]
    due_by: date | None = strawberry.field(description="A loan's return leg: the date it is due back.")

    @classmethod
    def of(cls, view: DomainClearance, languages: list[str]) -> TransferClearance:
        declaration = view.declaration
        return cls(
            transfer=Transfer.of(view.transfer),
            decision=None if view.decision is None else ComplianceDecision.of(view.decision, languages),
            documents=[
                LicenceDocument(
                    document=d.code,
                    issued_by=d.issued_by,
                    presented_to=d.presented_to,
                    decided_by=d.decided_by,
                    verdict=d.verdict,
                    reference_number=d.reference_number,
                    valid_from=d.valid_from,
                    valid_until=d.valid_until,
                    reason=d.reason,
                    decided_at=d.decided_at,
                )
                for d in view.documents
            ],
            declaration=None
            if declaration is None
            else CustomsDeclaration(
                hs_code=declaration.hs_code,
                declared_value=Money.of(declaration.declared_value),
                origin_country=declaration.origin_country,
                destination_country=declaration.destination_country,
                consignor=declaration.consignor,
                consignee=declaration.consignee,
                licence_references=list(declaration.licence_references),
                filed_at=declaration.filed_at,
            ),
            customs=[
                CustomsCheck(
                    direction=c.direction,
                    jurisdiction=c.jurisdiction,
                    status=c.status,
                    reason=c.reason,
                    decided_at=c.decided_at,
                )
                for c in view.customs
            ],
            due_by=view.due_by,
        )
