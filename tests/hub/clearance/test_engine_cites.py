"""CITES permits for worked ivory, rhinoceros horn, tortoiseshell and the other listed materials."""

from __future__ import annotations

from datetime import date

import pytest

from hub.clearance import Outcome, RuleTable, decide
from tests.hub.clearance.crossings import item, trade

APPENDIX_I = ("CITES-I-EXPORT", "CITES-I-IMPORT")
APPENDIX_II = ("CITES-II-EXPORT",)


@pytest.mark.parametrize(
    ("material", "rules"),
    [
        ("carved elephant ivory", APPENDIX_I),
        ("Ivory", APPENDIX_I),
        ("象牙雕", APPENDIX_I),
        ("rhinoceros horn", APPENDIX_I),
        ("犀角", APPENDIX_I),
        ("hawksbill tortoiseshell", APPENDIX_I),
        ("玳瑁", APPENDIX_I),
        ("hippopotamus ivory", APPENDIX_II),
        ("砗磲", APPENDIX_II),
        ("黄花梨", APPENDIX_II),
        ("silver with ivory inlay", APPENDIX_I),
        ("silver", ()),
        ("bone", ()),
    ],
)
def test_cites_permits_follow_the_material(table: RuleTable, material: str, rules: tuple[str, ...]) -> None:
    decision = decide(table, item(material=material, year=1990), trade(destination="GB"))
    assert decision.fired_rule_ids == rules


def test_cites_appendix_i_needs_an_export_and_an_import_permit(table: RuleTable) -> None:
    decision = decide(table, item(material="ivory", year=1990), trade(destination="GB"))
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    assert [(d.code, d.issued_by) for d in decision.required_documents] == [
        ("CITES_EXPORT_PERMIT", "JP"),
        ("CITES_IMPORT_PERMIT", "GB"),
    ]


@pytest.mark.parametrize(
    ("facts", "documents"),
    [
        ({"year": 1974}, ["CITES_PRE_CONVENTION_CERTIFICATE"]),
        ({"year": 1975}, ["CITES_EXPORT_PERMIT", "CITES_IMPORT_PERMIT"]),
        ({"year": 1990, "flags": {"pre_convention": True}}, ["CITES_PRE_CONVENTION_CERTIFICATE"]),
    ],
)
def test_cites_pre_convention_specimen_needs_a_certificate_instead(
    table: RuleTable, facts: dict[str, object], documents: list[str]
) -> None:
    decision = decide(table, item(material="ivory", **facts), trade(destination="GB"))
    assert [document.code for document in decision.required_documents] == documents


def test_cites_unknown_year_keeps_the_permits_and_names_the_year(table: RuleTable) -> None:
    decision = decide(table, item(material="ivory", earliest_year=None, latest_year=None), trade(destination="GB"))
    assert [document.code for document in decision.required_documents] == ["CITES_EXPORT_PERMIT", "CITES_IMPORT_PERMIT"]
    assert ("year", APPENDIX_I) in [(fact.fact, fact.rules) for fact in decision.missing_facts]


def test_cites_does_not_apply_inside_one_country_or_before_1_july_1975(table: RuleTable) -> None:
    ivory = item(material="ivory", year=1960)
    assert decide(table, ivory, trade(destination="JP")).fired_rule_ids == ()
    assert decide(table, ivory, trade(destination="GB", decided_on=date(1975, 6, 30))).fired_rule_ids == ()
    assert decide(table, ivory, trade(destination="GB", decided_on=date(1975, 7, 1))).fired_rule_ids == APPENDIX_I
