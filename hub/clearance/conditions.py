"""The rule table's condition language, compiled once into closures and evaluated in three-valued logic.

A condition is TRUE, FALSE or UNKNOWN (Kleene logic: `all` is the minimum, `any` the maximum, `not`
swaps TRUE and FALSE). UNKNOWN comes from a fact the item lacks, or a year range that straddles a
line; it carries the names of those facts. A rule fires when its condition is TRUE or UNKNOWN (the
stricter case); an exception applies only when its condition is TRUE.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class Truth(enum.IntEnum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2


_TRUE_TRUTH, _UNKNOWN_TRUTH, _FALSE_TRUTH = Truth.TRUE, Truth.UNKNOWN, Truth.FALSE
_NEGATION = {Truth.TRUE: Truth.FALSE, Truth.UNKNOWN: Truth.UNKNOWN, Truth.FALSE: Truth.TRUE}
NOTHING_MISSING: frozenset[str] = frozenset()
Result = tuple[Truth, frozenset[str]]
_TRUE: Result = (Truth.TRUE, NOTHING_MISSING)
_FALSE: Result = (Truth.FALSE, NOTHING_MISSING)


@dataclass(frozen=True, slots=True)
class Context:
    """One item and one trade, as the conditions read them (prepared once per decision)."""

    origin: str
    export_country: str
    destination: str
    purpose: str
    kind: str
    grade: str | None
    earliest_year: int | None
    latest_year: int | None
    decision_year: int
    materials: frozenset[str] | None
    value_eur: Decimal | None
    creators: tuple[str, ...]
    flags: Mapping[str, bool]


Evaluator = Callable[[Context], Result]


class ConditionError(ValueError):
    """A condition that names something the table does not define; `path` says where."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What conditions may refer to: country groups, declared flags (and which are stricter when unknown), materials."""

    country_groups: Mapping[str, frozenset[str]]
    stricter_flags: frozenset[str]
    lenient_flags: frozenset[str]
    material_ids: frozenset[str]


def normalise_name(name: str) -> str:
    return "".join(name.split()).casefold()


def made_in_or_before(year: int, earliest: int | None, latest: int | None) -> Result:
    """TRUE when the whole date range is in or before `year`, FALSE when all of it is after, else UNKNOWN."""
    if latest is not None and latest <= year:
        return _TRUE
    if earliest is not None and earliest > year:
        return _FALSE
    return (Truth.UNKNOWN, frozenset({"year"}))


def compile_condition(node: Mapping[str, Any], vocabulary: Vocabulary, path: str = "conditions") -> Evaluator:
    """A closure evaluating `node`; ConditionError for a reference the vocabulary lacks."""
    ((operator, operand),) = node.items()
    compiler = _COMPILERS.get(operator)
    if compiler is None:
        raise ConditionError(path, f"unknown operator {operator!r}")
    return compiler(operand, vocabulary, f"{path}.{operator}")


def _all(operand: list[Mapping[str, Any]], vocabulary: Vocabulary, path: str) -> Evaluator:
    parts = [compile_condition(child, vocabulary, f"{path}[{n}]") for n, child in enumerate(operand)]

    def evaluate(context: Context) -> Result:
        missing: frozenset[str] | None = None
        for part in parts:
            truth, facts = part(context)
            if truth is _FALSE_TRUTH:
                return _FALSE
            if truth is _UNKNOWN_TRUTH:
                missing = facts if missing is None else missing | facts
        return _TRUE if missing is None else (_UNKNOWN_TRUTH, missing)

    return evaluate


def _any(operand: list[Mapping[str, Any]], vocabulary: Vocabulary, path: str) -> Evaluator:
    parts = [compile_condition(child, vocabulary, f"{path}[{n}]") for n, child in enumerate(operand)]

    def evaluate(context: Context) -> Result:
        missing: frozenset[str] | None = None
        for part in parts:
            truth, facts = part(context)
            if truth is _TRUE_TRUTH:
                return _TRUE
            if truth is _UNKNOWN_TRUTH:
                missing = facts if missing is None else missing | facts
        return _FALSE if missing is None else (_UNKNOWN_TRUTH, missing)

    return evaluate


def _not(operand: Mapping[str, Any], vocabulary: Vocabulary, path: str) -> Evaluator:
    part = compile_condition(operand, vocabulary, path)

    def evaluate(context: Context) -> Result:
        truth, facts = part(context)
        return (_NEGATION[truth], facts)

    return evaluate


def _countries(operand: list[str], vocabulary: Vocabulary, path: str) -> frozenset[str]:
    countries: set[str] = set()
    for entry in operand:
        if entry.startswith("@"):
            group = vocabulary.country_groups.get(entry[1:])
            if group is None:
                raise ConditionError(path, f"unknown country group {entry!r}")
            countries |= group
        else:
            countries.add(entry)
    return frozenset(countries)


def _known(accessor: Callable[[Context], str]) -> Callable[[list[str], Vocabulary, str], Evaluator]:
    """A membership test over a fact every item and trade has (countries, kind, purpose)."""

    def compile_membership(operand: list[str], vocabulary: Vocabulary, path: str) -> Evaluator:
        values = _countries(operand, vocabulary, path)

        def evaluate(context: Context) -> Result:
            return _TRUE if accessor(context) in values else _FALSE

        return evaluate

    return compile_membership


def _cross_border(operand: bool, vocabulary: Vocabulary, path: str) -> Evaluator:
    def evaluate(context: Context) -> Result:
        return _TRUE if (context.export_country != context.destination) == operand else _FALSE

    return evaluate


def _made_in_or_before(operand: int, vocabulary: Vocabulary, path: str) -> Evaluator:
    def evaluate(context: Context) -> Result:
        return made_in_or_before(operand, context.earliest_year, context.latest_year)

    return evaluate


def _age_years_gte(operand: int, vocabulary: Vocabulary, path: str) -> Evaluator:
    """Age in whole years is decision year minus year made: an object of year Y may be N years old in Y + N."""

    def evaluate(context: Context) -> Result:
        return made_in_or_before(context.decision_year - operand, context.earliest_year, context.latest_year)

    return evaluate


def _material_in(operand: list[str], vocabulary: Vocabulary, path: str) -> Evaluator:
    unknown = sorted(set(operand) - vocabulary.material_ids)
    if unknown:
        raise ConditionError(path, f"unknown material {unknown[0]!r}")
    wanted = frozenset(operand)
    missing: Result = (Truth.UNKNOWN, frozenset({"material"}))

    def evaluate(context: Context) -> Result:
        if context.materials is None:
            return missing
        return _TRUE if context.materials & wanted else _FALSE

    return evaluate


def _grade_in(operand: list[str], vocabulary: Vocabulary, path: str) -> Evaluator:
    wanted = frozenset(operand)
    missing: Result = (Truth.UNKNOWN, frozenset({"relic_grade"}))

    def evaluate(context: Context) -> Result:
        if context.grade is None:
            return missing
        return _TRUE if context.grade in wanted else _FALSE

    return evaluate


def _value_eur_gte(operand: str, vocabulary: Vocabulary, path: str) -> Evaluator:
    threshold = Decimal(operand)
    missing: Result = (Truth.UNKNOWN, frozenset({"value_eur"}))

    def evaluate(context: Context) -> Result:
        if context.value_eur is None:
            return missing
        return _TRUE if context.value_eur >= threshold else _FALSE

    return evaluate


def _flag(operand: str, vocabulary: Vocabulary, path: str) -> Evaluator:
    if operand in vocabulary.stricter_flags:
        unknown: Result = (Truth.UNKNOWN, frozenset({f"flags.{operand}"}))
    elif operand in vocabulary.lenient_flags:
        unknown = _FALSE
    else:
        raise ConditionError(path, f"undeclared flag {operand!r}")

    def evaluate(context: Context) -> Result:
        value = context.flags.get(operand)
        if value is None:
            return unknown
        return _TRUE if value else _FALSE

    return evaluate


def _creator_in(operand: list[str], vocabulary: Vocabulary, path: str) -> Evaluator:
    names = tuple(normalise_name(name) for name in operand)

    def evaluate(context: Context) -> Result:
        for creator in context.creators:
            if any(name in creator for name in names):
                return _TRUE
        return _FALSE

    return evaluate


_COMPILERS: dict[str, Callable[[Any, Vocabulary, str], Evaluator]] = {
    "all": _all,
    "any": _any,
    "not": _not,
    "origin_in": _known(lambda context: context.origin),
    "export_country_in": _known(lambda context: context.export_country),
    "destination_in": _known(lambda context: context.destination),
    "kind_in": _known(lambda context: context.kind),
    "purpose_in": _known(lambda context: context.purpose),
    "cross_border": _cross_border,
    "made_in_or_before": _made_in_or_before,
    "age_years_gte": _age_years_gte,
    "material_in": _material_in,
    "grade_in": _grade_in,
    "value_eur_gte": _value_eur_gte,
    "flag": _flag,
    "creator_in": _creator_in,
}
OPERATORS = frozenset(_COMPILERS)
# Facts every item and trade has: a top-level `all` conjunct over them is TRUE or FALSE, never UNKNOWN.
_GATED = {
    "origin_in": "origin",
    "export_country_in": "export_country",
    "destination_in": "destination",
    "kind_in": "kind",
    "purpose_in": "purpose",
}


@dataclass(frozen=True, slots=True)
class Gate:
    """The always-known conjuncts of a condition: when one fails, the whole condition is FALSE."""

    allowed: tuple[tuple[str, frozenset[str]], ...]
    cross_border: bool | None

    def admits(self, context: Context) -> bool:
        if self.cross_border is not None and (context.export_country != context.destination) != self.cross_border:
            return False
        return all(getattr(context, name) in values for name, values in self.allowed)


def gate_of(node: Mapping[str, Any], vocabulary: Vocabulary) -> Gate:
    """The gate of a condition whose top level is `all` (or a single known leaf); an open gate otherwise."""
    ((operator, operand),) = node.items()
    conjuncts = operand if operator == "all" else [node]
    allowed: list[tuple[str, frozenset[str]]] = []
    cross_border: bool | None = None
    for conjunct in conjuncts:
        ((name, value),) = conjunct.items()
        if name in _GATED:
            allowed.append((_GATED[name], _countries(value, vocabulary, name)))
        elif name == "cross_border":
            cross_border = value
    return Gate(tuple(allowed), cross_border)


TRADE_OPERATORS = frozenset({"export_country_in", "destination_in", "purpose_in", "cross_border", "value_eur_gte"})


def operators_used(node: Mapping[str, Any]) -> set[str]:
    """Every operator in a condition tree."""
    ((operator, operand),) = node.items()
    used = {operator}
    if operator in ("all", "any"):
        for child in operand:
            used |= operators_used(child)
    elif operator == "not":
        used |= operators_used(operand)
    return used
