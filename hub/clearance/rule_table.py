"""The versioned compliance rule table: a JSON file checked against its JSON Schema and compiled at load.

A table that does not validate is refused with a message naming the rule (or section) and the field.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema

from hub.clearance.conditions import (
    TRADE_OPERATORS,
    ConditionError,
    Context,
    Evaluator,
    Gate,
    Vocabulary,
    compile_condition,
    gate_of,
    operators_used,
)
from hub.clearance.materials import MaterialVocabulary
from hub.clearance.messages import MESSAGES

RULES_FOLDER = Path(__file__).resolve().parent / "rules"
DEFAULT_PATH = RULES_FOLDER / "compliance-rules.json"
SCHEMA_PATH = RULES_FOLDER / "compliance-rules.schema.json"
MAX_TABLE_BYTES = 2 * 1024 * 1024
CANDIDATE_KEYS_KEPT = 4096


class Outcome(enum.StrEnum):
    ALLOWED = "ALLOWED"
    LICENCE_REQUIRED = "LICENCE_REQUIRED"
    PROHIBITED = "PROHIBITED"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Outcome.ALLOWED: 0, Outcome.LICENCE_REQUIRED: 1, Outcome.PROHIBITED: 2}


class RuleTableError(ValueError):
    """A rule table that cannot be used; the message names the file, the rule and the field."""


@dataclass(frozen=True, slots=True)
class Document:
    code: str
    issued_by: str
    presented_to: str
    message_id: str


@dataclass(frozen=True, slots=True)
class RuleException:
    id: str
    applies: Evaluator
    outcome: Outcome
    document: str | None
    article: str
    message_id: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    jurisdiction: str
    direction: str
    instrument: str
    article: str
    valid_from: date | None
    valid_to: date | None
    gate: Gate
    fires: Evaluator
    outcome: Outcome
    document: str | None
    exceptions: tuple[RuleException, ...]
    message_id: str

    def in_force(self, on: date) -> bool:
        """Both ends inclusive: valid_to is the last day the rule applies."""
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True, slots=True)
class HsEntry:
    id: str
    gate: Gate
    matches: Evaluator
    heading: str
    subheading: str | None
    message_id: str


@dataclass(frozen=True, slots=True)
class RuleTable:
    version: str
    effective: date
    digest: str
    rules: tuple[Rule, ...]
    documents: Mapping[str, Document]
    hs_codes: tuple[HsEntry, ...]
    materials: MaterialVocabulary
    stricter_flags: frozenset[str]
    _candidates: dict[tuple[object, ...], tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)
    _hs_candidates: dict[tuple[str, str], tuple[HsEntry, ...]] = field(default_factory=dict, compare=False, repr=False)

    def candidate_rules(self, context: Context, on: date) -> tuple[Rule, ...]:
        """The rules in force on `on` whose gate admits the crossing, in table order (remembered per key)."""
        key = (on, context.origin, context.export_country, context.destination, context.kind, context.purpose)
        rules = self._candidates.get(key)
        if rules is None:
            if len(self._candidates) >= CANDIDATE_KEYS_KEPT:
                self._candidates.clear()
            rules = tuple(rule for rule in self.rules if rule.in_force(on) and rule.gate.admits(context))
            self._candidates[key] = rules
        return rules

    def candidate_hs_codes(self, context: Context) -> tuple[HsEntry, ...]:
        key = (context.kind, context.origin)
        entries = self._hs_candidates.get(key)
        if entries is None:
            if len(self._hs_candidates) >= CANDIDATE_KEYS_KEPT:
                self._hs_candidates.clear()
            entries = self._hs_candidates[key] = tuple(entry for entry in self.hs_codes if entry.gate.admits(context))
        return entries


def load_rule_table(path: str | Path | None = None) -> RuleTable:
    """The table at `path` (default: the one shipped with the hub), validated and compiled; cached per path."""
    return _load(str(Path(path).resolve() if path is not None else DEFAULT_PATH))


@functools.lru_cache(maxsize=8)
def _load(path: str) -> RuleTable:
    raw = _read(Path(path))
    data = _parse(path, raw)
    _validate_schema(path, data)
    try:
        return _compile(data, hashlib.sha256(raw).hexdigest())
    except RuleTableError as error:
        raise RuleTableError(f"compliance rule table {path}: {error}") from None


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise RuleTableError(f"compliance rule table {path}: {size} bytes, more than {MAX_TABLE_BYTES}")
        return path.read_bytes()
    except OSError as error:
        raise RuleTableError(f"compliance rule table {path}: cannot be read ({error.strerror})") from None


def _parse(path: str, raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RuleTableError(f"compliance rule table {path}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RuleTableError(f"compliance rule table {path}: the top level is not an object")
    return data


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _validate_schema(path: str, data: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(data), key=lambda error: [str(part) for part in error.absolute_path])
    if errors:
        where = _describe_location(data, list(errors[0].absolute_path))
        raise RuleTableError(f"compliance rule table {path}: {where}: {errors[0].message}")


def _describe_location(data: dict[str, Any], location: list[str | int]) -> str:
    """'rule CN-EXIT-1911 field conditions.all[1]' for a path like ['rules', 0, 'conditions', 'all', 1]."""
    if len(location) >= 2 and location[0] in ("rules", "hs_codes") and isinstance(location[1], int):
        entry = data[str(location[0])][location[1]]
        name = entry.get("id") if isinstance(entry, dict) else None
        label = f"{'rule' if location[0] == 'rules' else 'HS entry'} {name or '#' + str(location[1])}"
        rest = location[2:]
    elif len(location) >= 2:
        label, rest = f"{location[0]} {location[1]}", location[2:]
    else:
        label, rest = "table", location
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest).lstrip(".")
    return f"{label} field {field}" if field else label


def _known_message(message_id: str, owner: str) -> str:
    if message_id not in MESSAGES:
        raise RuleTableError(f"{owner}: message_id {message_id!r} has no text in hub/clearance/messages.py")
    return message_id


def _compile(data: dict[str, Any], digest: str) -> RuleTable:
    flags: dict[str, Any] = data["flags"]
    for name in flags:
        _known_message(f"flag.{name}", f"flag {name}")
    materials = _materials(data["materials"])
    vocabulary = Vocabulary(
        country_groups={name: frozenset(members) for name, members in data["country_groups"].items()},
        stricter_flags=frozenset(name for name, spec in flags.items() if spec["if_unknown"] == "stricter"),
        lenient_flags=frozenset(name for name, spec in flags.items() if spec["if_unknown"] == "false"),
        material_ids=materials.ids,
    )
    documents = {
        code: Document(code, spec["issued_by"], spec["presented_to"], _known_message(spec["message_id"], code))
        for code, spec in data["documents"].items()
    }
    exceptions = {key: _exception(key, spec, vocabulary, documents) for key, spec in data["exceptions"].items()}
    rules = tuple(_rule(spec, vocabulary, documents, exceptions) for spec in data["rules"])
    _require_unique([rule.id for rule in rules], "rule")
    hs_codes = tuple(_hs_entry(spec, vocabulary) for spec in data["hs_codes"])
    _require_unique([entry.id for entry in hs_codes], "HS entry")
    return RuleTable(
        version=data["version"],
        effective=_date(data["effective"], "table field effective"),
        digest=digest,
        rules=rules,
        documents=documents,
        hs_codes=hs_codes,
        materials=materials,
        stricter_flags=vocabulary.stricter_flags,
    )


def _materials(specs: list[dict[str, Any]]) -> MaterialVocabulary:
    ids = [spec["id"] for spec in specs]
    _require_unique(ids, "material")
    return MaterialVocabulary({spec["id"]: spec["terms"] for spec in specs})


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for entry in ids:
        if entry in seen:
            raise RuleTableError(f"{what} {entry}: the id is used twice")
        seen.add(entry)


def _date(text: str, owner: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleTableError(f"{owner}: {text!r} is not a calendar date") from None


def _condition(node: dict[str, Any], vocabulary: Vocabulary, owner: str, field: str) -> Evaluator:
    try:
        return compile_condition(node, vocabulary, field)
    except ConditionError as error:
        raise RuleTableError(f"{owner} field {error}") from None


def _document(code: str | None, documents: Mapping[str, Document], owner: str) -> str | None:
    if code is not None and code not in documents:
        raise RuleTableError(f"{owner} field document: {code!r} is not defined under documents")
    return code


def _exception(
    key: str, spec: dict[str, Any], vocabulary: Vocabulary, documents: Mapping[str, Document]
) -> RuleException:
    owner = f"exception {key}"
    return RuleException(
        id=key,
        applies=_condition(spec["when"], vocabulary, owner, "when"),
        outcome=Outcome(spec["outcome"]),
        document=_document(spec.get("document"), documents, owner),
        article=spec["article"],
        message_id=_known_message(spec["message_id"], owner),
    )


def _rule(
    spec: dict[str, Any],
    vocabulary: Vocabulary,
    documents: Mapping[str, Document],
    exceptions: Mapping[str, RuleException],
) -> Rule:
    owner = f"rule {spec['id']}"
    outcome = Outcome(spec["outcome"])
    attached: list[RuleException] = []
    for ref in spec.get("exceptions", []):
        exception = exceptions.get(ref["ref"])
        if exception is None:
            raise RuleTableError(f"{owner} field exceptions: {ref['ref']!r} is not defined under exceptions")
        if exception.outcome.rank > outcome.rank:
            raise RuleTableError(f"{owner} field exceptions: {ref['ref']} would make the outcome stricter")
        attached.append(exception)
    valid_from = _date(spec["valid_from"], f"{owner} field valid_from") if spec["valid_from"] else None
    valid_to = _date(spec["valid_to"], f"{owner} field valid_to") if spec["valid_to"] else None
    if valid_from and valid_to and valid_from > valid_to:
        raise RuleTableError(f"{owner} field valid_to: {valid_to} is before valid_from {valid_from}")
    fires = _condition(spec["conditions"], vocabulary, owner, "conditions")
    return Rule(
        id=spec["id"],
        jurisdiction=spec["jurisdiction"],
        direction=spec["direction"],
        instrument=spec["instrument"],
        article=spec["article"],
        valid_from=valid_from,
        valid_to=valid_to,
        gate=gate_of(spec["conditions"], vocabulary),
        fires=fires,
        outcome=outcome,
        document=_document(spec.get("document"), documents, owner),
        exceptions=tuple(attached),
        message_id=_known_message(spec["message_id"], owner),
    )


def _hs_entry(spec: dict[str, Any], vocabulary: Vocabulary) -> HsEntry:
    owner = f"HS entry {spec['id']}"
    trade_facts = sorted(operators_used(spec["when"]) & TRADE_OPERATORS)
    if trade_facts:
        raise RuleTableError(f"{owner} field when: {trade_facts[0]} is a fact of the trade, not of the item")
    matches = _condition(spec["when"], vocabulary, owner, "when")
    return HsEntry(
        id=spec["id"],
        gate=gate_of(spec["when"], vocabulary),
        matches=matches,
        heading=spec["heading"],
        subheading=spec["subheading"],
        message_id=_known_message(spec["message_id"], owner),
    )
