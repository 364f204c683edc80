"""Explanations go through a real gettext catalogue; every text is extractable by babel."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo

import hub.clearance.messages
from hub.clearance import RuleTable, decide, explain
from hub.clearance.messages import MESSAGES
from tests.hub.clearance.crossings import item, trade

FRENCH = {
    MESSAGES["outcome.prohibited"]: "Interdit : cet objet ne peut pas faire ce passage.",
    MESSAGES["rule.cn_exit_1911"]: "Les reliques de 1911 ou d'avant ne peuvent pas quitter la Chine.",
    MESSAGES["explain.rule"]: "{message} ({instrument} ; {article})",
    MESSAGES["document.prc_exit_permit"]: "Permis de sortie chinois pour biens culturels",
    MESSAGES["explain.document"]: "{document} : délivré par {issuer}, présenté à {presented_to}.",
}


def french() -> gettext.GNUTranslations:
    catalog = Catalog(locale="fr")
    for source, translation in FRENCH.items():
        catalog.add(source, translation)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def test_explanation_of_the_tang_horse_in_french(table: RuleTable) -> None:
    horse = item(origin_country="CN", kind="CERAMIC", earliest_year=618, latest_year=907)
    explanation = explain(decide(table, horse, trade(destination="FR")), french().gettext)
    assert explanation.summary == "Interdit : cet objet ne peut pas faire ce passage."
    assert explanation.rules[0].startswith(
        "Les reliques de 1911 ou d'avant ne peuvent pas quitter la Chine. (Standards"
    )
    assert explanation.documents == ("Permis de sortie chinois pour biens culturels : délivré par CN, présenté à CN.",)
    assert explanation.lines()[0] == explanation.summary


def test_explanation_names_missing_facts_and_what_the_hs_code_depends_on(table: RuleTable) -> None:
    vase = item(origin_country="CN", kind="CERAMIC", earliest_year=None, latest_year=None)
    explanation = explain(decide(table, vase, trade(destination="FR")), gettext.NullTranslations().gettext)
    assert explanation.missing_facts == (
        "Not known: the year it was made. Affects CN-EXIT-1911; the stricter case was assumed.",
    )
    assert "Assumed, because these facts are not known: the year it was made." in explanation.rules[0]
    assert explanation.hs_code.endswith("Depends on: the year it was made.")


def test_every_message_is_extractable_by_babel() -> None:
    extracted = {message for _, message, _, _ in extract_from_file("python", Path(hub.clearance.messages.__file__))}
    assert set(MESSAGES.values()) <= extracted
