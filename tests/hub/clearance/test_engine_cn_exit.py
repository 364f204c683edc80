"""China's exit rules at every line of DESIGN.md's reference, on both sides (the year lines are inclusive)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.clearance import Outcome, RuleTable, decide
from tests.hub.clearance.crossings import item, trade


def cn_item(**changes: Any) -> Any:
    return item(origin_country="CN", **changes)


@pytest.mark.parametrize(
    ("rule_id", "facts", "fires"),
    [
        ("CN-EXIT-1911", {"year": 1911}, True),
        ("CN-EXIT-1911", {"year": 1912}, False),
        ("CN-EXIT-1911", {"earliest_year": 1880, "latest_year": 1911}, True),
        ("CN-EXIT-1949", {"year": 1949, "flags": {"historical_value": True}}, True),
        ("CN-EXIT-1949", {"year": 1950, "flags": {"historical_value": True}}, False),
        ("CN-EXIT-1949", {"year": 1949, "flags": {"historical_value": False}}, False),
        ("CN-EXIT-1966-MINORITY", {"year": 1966, "flags": {"ethnic_minority_representative": True}}, True),
        ("CN-EXIT-1966-MINORITY", {"year": 1967, "flags": {"ethnic_minority_representative": True}}, False),
        ("CN-EXIT-1966-MINORITY", {"year": 1966, "flags": {"ethnic_minority_representative": False}}, False),
        ("CN-EXIT-GRADED", {"relic_grade": "1"}, True),
        ("CN-EXIT-GRADED", {"relic_grade": "2"}, True),
        ("CN-EXIT-GRADED", {"relic_grade": "3"}, True),
        ("CN-EXIT-GRADED", {"relic_grade": "general"}, False),
        ("CN-EXIT-GRADED", {"relic_grade": "ungraded"}, False),
        ("CN-EXIT-STATE-OWNED", {"flags": {"state_owned": True}}, True),
        ("CN-EXIT-STATE-OWNED", {}, False),
        ("CN-EXIT-LISTED-ARTIST-2023", {"kind": "PAINTING", "year": 1950, "creators": ("齐白石",)}, True),
        (
            "CN-EXIT-LISTED-ARTIST-2023",
            {"kind": "PAINTING", "year": 1975, "creators": ("Wu Guanzhong (1919-2010)",)},
            True,
        ),
        ("CN-EXIT-LISTED-ARTIST-2023", {"kind": "PAINTING", "year": 1950, "creators": ("徐悲鴻",)}, True),
        ("CN-EXIT-LISTED-ARTIST-2023", {"kind": "PAINTING", "year": 1985, "creators": ("Zhao Wei",)}, False),
        ("CN-EXIT-LISTED-ARTIST-2023", {"kind": "CERAMIC", "creators": ("Qi Baishi",)}, False),
        ("CN-EXIT-LISTED-ARTIST-2023", {"kind": "CERAMIC", "flags": {"listed_artist_all_works": True}}, True),
        ("CN-EXIT-LISTED-ARTIST-2023-REPRESENTATIVE", {"flags": {"listed_artist_representative_work": True}}, True),
        ("CN-EXIT-LISTED-ARTIST-2023-REPRESENTATIVE", {}, False),
    ],
)
def test_cn_exit_rule_fires_exactly_at_its_line(
    table: RuleTable, rule_id: str, facts: dict[str, Any], fires: bool
) -> None:
    decision = decide(table, cn_item(**facts), trade(destination="FR"))
    assert (rule_id in decision.fired_rule_ids) is fires
    if fires:
        assert decision.outcome is Outcome.PROHIBITED


def test_cn_exit_example_1985_ink_painting_to_paris_needs_only_the_exit_permit(table: RuleTable) -> None:
    painting = cn_item(kind="PAINTING", year=1985, material="ink and colour on paper", relic_grade="ungraded")
    decision = decide(table, painting, trade(destination="FR", value_eur="20000"))
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    assert decision.fired_rule_ids == ("CN-EXIT-PERMIT",)
    assert [(d.code, d.issued_by, d.presented_to) for d in decision.required_documents] == [
        ("PRC_EXIT_PERMIT", "CN", "CN")
    ]
    assert decision.missing_facts == ()
    assert decision.hs_code.heading == "9701"
    assert decision.hs_code.subheading == "9701.91"


def test_cn_exit_example_tang_sancai_horse_to_paris_is_prohibited_with_the_prc_citation(table: RuleTable) -> None:
    horse = cn_item(kind="CERAMIC", earliest_year=618, latest_year=907, material="sancai glazed earthenware")
    decision = decide(table, horse, trade(destination="FR", value_eur="250000"))
    assert decision.outcome is Outcome.PROHIBITED
    rule = next(rule for rule in decision.fired_rules if rule.rule_id == "CN-EXIT-1911")
    assert rule.outcome is Outcome.PROHIBITED
    assert "Exit Examination of Cultural Relics" in rule.instrument
    assert "1911" in rule.article
    assert rule.assumed == ()


@pytest.mark.parametrize("grade", ["1", "2", "3"])
def test_cn_exit_graded_relic_on_loan_needs_exhibition_approval_instead(table: RuleTable, grade: str) -> None:
    decision = decide(table, cn_item(relic_grade=grade), trade(destination="FR", purpose="LOAN"))
    assert decision.outcome is Outcome.LICENCE_REQUIRED
    graded = next(rule for rule in decision.fired_rules if rule.rule_id == "CN-EXIT-GRADED")
    assert graded.exception is not None
    assert graded.exception.rule_outcome is Outcome.PROHIBITED
    assert graded.document == "PRC_EXHIBITION_APPROVAL"
    assert [document.code for document in decision.required_documents] == ["PRC_EXHIBITION_APPROVAL"]


def test_cn_exit_tang_horse_on_loan_needs_exhibition_approval(table: RuleTable) -> None:
    horse = cn_item(kind="CERAMIC", earliest_year=618, latest_year=907, relic_grade="2")
    decision = decide(table, horse, trade(destination="FR", purpose="LOAN"))
    assert decision.outcome is Outcome.LICENCE_REQUIRED


@pytest.mark.parametrize(
    "facts",
    [{"relic_grade": "1", "flags": {"unique_or_fragile": True}}, {"export_restricted": True}],
)
def test_cn_exit_unique_fragile_or_banned_relic_may_not_leave_even_on_loan(
    table: RuleTable, facts: dict[str, Any]
) -> None:
    decision = decide(table, cn_item(**facts), trade(destination="FR", purpose="LOAN"))
    assert decision.outcome is Outcome.PROHIBITED
    assert "CN-EXIT-EXHIBITION-BAN" in decision.fired_rule_ids


def test_cn_exit_listed_artist_rule_not_in_force_before_the_2023_notice(table: RuleTable) -> None:
    painting = cn_item(kind="PAINTING", year=1950, creators=("齐白石",))
    before = decide(table, painting, trade(destination="FR", decided_on=date(2023, 5, 25)))
    on_the_day = decide(table, painting, trade(destination="FR", decided_on=date(2023, 5, 26)))
    assert "CN-EXIT-LISTED-ARTIST-2023" not in before.fired_rule_ids
    assert "CN-EXIT-LISTED-ARTIST-2023" in on_the_day.fired_rule_ids


@pytest.mark.parametrize(
    ("kind", "year", "needs_permit"),
    [("BOOK", 2021, False), ("BOOK", 1950, False), ("BOOK", 1949, True), ("RARE_BOOK", 2021, True)],
)
def test_cn_exit_permit_spares_only_modern_printed_books(
    table: RuleTable, kind: str, year: int, needs_permit: bool
) -> None:
    decision = decide(table, cn_item(kind=kind, year=year, material="paper"), trade(destination="GB"))
    assert ("CN-EXIT-PERMIT" in decision.fired_rule_ids) is needs_permit


def test_cn_exit_rules_do_not_apply_to_a_sale_inside_china(table: RuleTable) -> None:
    horse = cn_item(kind="CERAMIC", earliest_year=618, latest_year=907, relic_grade="1")
    decision = decide(table, horse, trade(destination="CN"))
    assert decision.outcome is Outcome.ALLOWED
    assert decision.fired_rules == ()


def test_cn_exit_rules_follow_the_export_country_not_the_origin(table: RuleTable) -> None:
    """A Sasanian drachm held in China leaves under China's rules (note 5 of the 2007 standard)."""
    drachm = item(origin_country="IR", kind="COIN", year=600, material="silver", relic_grade="3")
    from_china = decide(table, drachm, trade(destination="GB", export_country="CN"))
    from_iran = decide(table, drachm, trade(destination="GB"))
    assert {"CN-EXIT-1911", "CN-EXIT-GRADED"} <= set(from_china.fired_rule_ids)
    assert not any(rule_id.startswith("CN-") for rule_id in from_iran.fired_rule_ids)


@pytest.mark.parametrize(
    ("purpose", "fired", "not_fired"),
    [
        ("LOAN", "CN-EXIT-EXHIBITION-APPROVAL", "CN-EXIT-PERMIT"),
        ("SALE", "CN-EXIT-PERMIT", "CN-EXIT-EXHIBITION-APPROVAL"),
    ],
)
def test_cn_exit_a_loan_needs_the_exhibition_approval_and_a_sale_the_exit_permit(
    table: RuleTable, purpose: str, fired: str, not_fired: str
) -> None:
    painting = cn_item(kind="PAINTING", year=1985, relic_grade="ungraded")
    decision = decide(table, painting, trade(destination="FR", purpose=purpose))
    assert fired in decision.fired_rule_ids
    assert not_fired not in decision.fired_rule_ids
    assert decision.outcome is Outcome.LICENCE_REQUIRED
