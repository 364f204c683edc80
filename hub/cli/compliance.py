"""`hub compliance check ITEM --destination CC [--value AMOUNT CURRENCY] [--purpose SALE|LOAN]`: what the hub
would decide about a crossing, without creating anything (the same decision as the `complianceCheck` query)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from hub.cli.command import database, run
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.clearance.assessment import Assessment
    from hub.db import SessionFactory


def add_parser(commands: Any) -> None:
    compliance = commands.add_parser(
        "compliance",
        help="compliance decisions about cross-border transfers",
        description="Compliance decisions: the rules that fire for an item's crossing, with their legal citations.",
    )
    compliance.set_defaults(migrate_first=True)
    actions = compliance.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="decide a crossing now, creating nothing",
        description="Decides what the hub would decide if ITEM were traded to DESTINATION now: the outcome, "
        "every rule that fired with its citation, the documents needed, the facts the item lacks and the "
        "suggested HS code. Nothing is stored. The value is converted to EUR at the FX rate valid now.",
    )
    check.add_argument("item", metavar="ITEM", help="the item: its number, or INSTITUTION:SOURCE_ID (TWMM:TW-0001)")
    check.add_argument("--destination", required=True, metavar="CC", help="the country it would go to (FR)")
    check.add_argument(
        "--value",
        nargs=2,
        metavar=("AMOUNT", "CURRENCY"),
        help="its price or insured value, such as 20000 EUR (default: unknown: the stricter case is assumed)",
    )
    check.add_argument("--purpose", choices=("SALE", "LOAN"), default="SALE", help="a sale or an exhibition loan")
    check.add_argument("--lang", default="en", help="the language of the explanation (en, zh, ar, ru, fr)")
    check.add_argument("--json", action="store_true", help="print one JSON object: the decision record")
    check.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    from hub.clearance.rule_table import load_rule_table
    from hub.clearance.service import ClearanceService
    from hub.core.user_errors import Refused
    from hub.money.errors import MoneyError
    from hub.money.money import Money

    async def decide() -> int:
        async with database(settings) as sessions:
            try:
                item_id = await _item_id(sessions, args.item)
                value = None if args.value is None else Money.parse(args.value[0], args.value[1].upper(), field="value")
                service = ClearanceService(sessions, load_rule_table())
                assessment = await service.check(item_id, args.destination.upper(), value, args.purpose)
            except Refused as refusal:
                print(f"hub: {refusal}", file=sys.stderr)
                return 1
            except MoneyError as error:
                print(f"hub: {error.message}", file=sys.stderr)
                return 1
        _print(assessment, args.lang, args.json)
        return 0

    return run(decide())


async def _item_id(sessions: SessionFactory, text: str) -> int:
    from hub.clearance.assessment import item_id_by_source

    if text.isdigit():
        return int(text)
    code, _, source_id = text.partition(":")
    async with sessions() as session:
        return await item_id_by_source(session, code.upper(), source_id)


def _print(assessment: Assessment, lang: str, as_json: bool) -> None:
    from hub.clearance.explanation import explain
    from hub.clearance.translation import translator

    explanation = explain(assessment.decision, translator(lang))
    if as_json:
        print(json.dumps(assessment.as_record() | {"explanation": explanation.lines()}, ensure_ascii=False))
        return
    decision = assessment.decision
    value = "" if assessment.value is None else f", {assessment.value.amount} {assessment.value.currency}"
    if assessment.conversion is not None:
        value += f" = {assessment.conversion.result.amount} EUR"
    trade = decision.facts["trade"]
    print(f"item {assessment.item_id} to {trade['destination']}, {trade['purpose']}{value}")
    print(f"{decision.outcome.value} (rule table {decision.rule_table_version}, {decision.decided_on})")
    for line in explanation.lines():
        print(f"  {line}")
