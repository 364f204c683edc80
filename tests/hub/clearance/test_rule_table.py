"""The shipped rule table loads; a broken one is refused with a message naming the rule and the field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hub.clearance import RuleTable, RuleTableError, load_rule_table
from hub.clearance.rule_table import DEFAULT_PATH

Edit = Callable[[dict[str, Any]], None]


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(entry for entry in data["rules"] if entry["id"] == rule_id)
    return found


def write_edited(tmp_path: Path, edit: Edit) -> Path:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_rule_table_shipped_loads_with_a_version_and_a_citation_per_rule(table: RuleTable) -> None:
    assert table.version == "2026.11.1"
    assert len(table.digest) == 64
    assert all(rule.instrument and rule.article for rule in table.rules)
    assert load_rule_table() is table


def test_rule_table_covers_every_line_of_the_design_reference(table: RuleTable) -> None:
    ids = {rule.id for rule in table.rules}
    reference = {
        "CN-EXIT-1911",
        "CN-EXIT-1949",
        "CN-EXIT-1966-MINORITY",
        "CN-EXIT-GRADED",
        "CN-EXIT-LISTED-ARTIST-2023",
        "CN-EXIT-PERMIT",
        "EU-IMPORT-B-LICENCE",
        "EU-IMPORT-C-STATEMENT",
        "EU-IMPORT-BREACH",
        "EU-EXPORT-A1-ARCHAEOLOGICAL",
        "EU-EXPORT-A2-MONUMENT-ELEMENTS",
        "EU-EXPORT-A3-PAINTINGS",
        "EU-EXPORT-A4-WATERCOLOURS",
        "EU-EXPORT-A5-MOSAICS-DRAWINGS",
        "EU-EXPORT-A6-PRINTS",
        "EU-EXPORT-A7-SCULPTURE",
        "EU-EXPORT-A8-PHOTOGRAPHS",
        "EU-EXPORT-A9-INCUNABULA-MANUSCRIPTS",
        "EU-EXPORT-A10-BOOKS",
        "EU-EXPORT-A11-MAPS",
        "EU-EXPORT-A12-ARCHIVES",
        "EU-EXPORT-A13-COLLECTIONS",
        "EU-EXPORT-A14-TRANSPORT",
        "EU-EXPORT-A15A-ANTIQUES-50",
        "EU-EXPORT-A15B-ANTIQUES-100",
        "US-CPIA-CN-ARCHAEOLOGICAL",
        "US-CPIA-CN-MONUMENTAL",
        "CITES-I-EXPORT",
        "CITES-I-IMPORT",
        "CITES-II-EXPORT",
    }
    assert reference <= ids


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda data: rule(data, "CN-EXIT-1911").update(outcome="BANNED"), "rule CN-EXIT-1911 field outcome"),
        (lambda data: rule(data, "CN-EXIT-1949").pop("article"), "rule CN-EXIT-1949: 'article' is a required"),
        (
            lambda data: rule(data, "EU-IMPORT-BREACH").update(conditions={"made_before": 1900}),
            "rule EU-IMPORT-BREACH field conditions",
        ),
        (
            lambda data: rule(data, "CITES-I-EXPORT").update(conditions={"value_eur_gte": 18000}),
            "rule CITES-I-EXPORT field conditions.value_eur_gte",
        ),
        (
            lambda data: rule(data, "CN-EXIT-PERMIT").pop("document"),
            "rule CN-EXIT-PERMIT: 'document' is a required property",
        ),
        (
            lambda data: rule(data, "CN-EXIT-1949").update(conditions={"flag": "famous"}),
            "rule CN-EXIT-1949 field conditions.flag: undeclared flag 'famous'",
        ),
        (
            lambda data: rule(data, "CITES-II-EXPORT").update(conditions={"material_in": ["unobtainium"]}),
            "rule CITES-II-EXPORT field conditions.material_in: unknown material 'unobtainium'",
        ),
        (
            lambda data: rule(data, "EU-IMPORT-BREACH").update(conditions={"destination_in": ["@ASEAN"]}),
            "rule EU-IMPORT-BREACH field conditions.destination_in: unknown country group '@ASEAN'",
        ),
        (
            lambda data: rule(data, "CN-EXIT-PERMIT").update(document="PRC_LICENCE"),
            "rule CN-EXIT-PERMIT field document: 'PRC_LICENCE' is not defined",
        ),
        (
            lambda data: rule(data, "CN-EXIT-PERMIT").update(message_id="rule.nowhere"),
            "rule CN-EXIT-PERMIT: message_id 'rule.nowhere' has no text",
        ),
        (
            lambda data: rule(data, "US-CPIA-CN-MONUMENTAL").update(valid_to="2001-01-01"),
            "rule US-CPIA-CN-MONUMENTAL field valid_to: 2001-01-01 is before valid_from",
        ),
        (
            lambda data: rule(data, "CN-EXIT-PERMIT").update(exceptions=[{"ref": "NO-SUCH-EXCEPTION"}]),
            "rule CN-EXIT-PERMIT field exceptions: 'NO-SUCH-EXCEPTION' is not defined",
        ),
        (
            lambda data: data["exceptions"]["EU-MUSEUM-LOAN"].update(outcome="PROHIBITED"),
            "rule EU-IMPORT-B-LICENCE field exceptions: EU-MUSEUM-LOAN would make the outcome stricter",
        ),
        (
            lambda data: data["rules"].append(dict(rule(data, "CN-EXIT-1911"))),
            "rule CN-EXIT-1911: the id is used twice",
        ),
        (
            lambda data: data["hs_codes"][0].update(when={"destination_in": ["FR"]}),
            "HS entry HS-9705-NUMISMATIC-OLD field when: destination_in is a fact of the trade",
        ),
        (lambda data: data.update(version="latest"), "table field version"),
    ],
)
def test_rule_table_refuses_a_broken_table_naming_rule_and_field(tmp_path: Path, edit: Edit, expected: str) -> None:
    path = write_edited(tmp_path, edit)
    with pytest.raises(RuleTableError) as refused:
        load_rule_table(path)
    assert expected in str(refused.value)
    assert str(path) in str(refused.value)


def test_rule_table_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(RuleTableError, match="not valid JSON"):
        load_rule_table(path)


def test_rule_table_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleTableError, match="cannot be read"):
        load_rule_table(tmp_path / "absent.json")


def test_rule_table_edited_copy_decides_by_its_own_rules(tmp_path: Path) -> None:
    """The table is data: moving the 1911 line in the file moves the decision."""
    from hub.clearance import decide
    from tests.hub.clearance.crossings import item, trade

    def move_line(data: dict[str, Any]) -> None:
        data["version"] = "2026.11.2"
        rule(data, "CN-EXIT-1911")["conditions"]["all"][2] = {"made_in_or_before": 1920}

    edited = load_rule_table(write_edited(tmp_path, move_line))
    decision = decide(edited, item(origin_country="CN", year=1915), trade())
    assert "CN-EXIT-1911" in decision.fired_rule_ids
    assert decision.rule_table_version == "2026.11.2"
