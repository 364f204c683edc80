"""Limits on what one GraphQL document may ask for: depth, aliases, selections and cost, checked in validation.

One validation rule computes all four in a single walk of the document in which every fragment is walked once:
its result is kept by name and added in at each spread (a spread of a fragment being walked counts nothing, so
cycles end). Strawberry's own depth and alias limiters walk a fragment again at every spread, which is
exponential in nested spreads (a 1 KB document of fragments that each spread the next one twice froze the hub).

Cost follows the static estimate of IBM's GraphQL cost specification and Apollo's demand control: a field of
an object type costs 1, a leaf 0; a connection multiplies what its `edges` (or `nodes`) select by its `first`
argument (the default page size when absent, the largest page when it is a variable: validation runs before
variables are known, so a variable counts as the most it could ask for); any other list counts as
`ASSUMED_LIST_SIZE` items. Counts of aliases and selections are what the document asks for once its fragments
are expanded, so a fragment spread twice counts twice.

The rule classes are built once per `QueryLimits` (`limits_rule` is cached), so graphql-core sees the same
rules on every request and strawberry's `ValidationCache` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from hub.core.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

MAX_TOKENS = 4000
"""Tokens a document may have: parsing stops past it (strawberry's MaxTokensLimiter, and the response cache)."""
ASSUMED_LIST_SIZE = 10
"""How many items a list without a `first` argument counts as (images, titles, institutions ...)."""
PAGED_LIST_FIELDS = frozenset({"edges", "nodes"})
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 12
    max_aliases: int = 30
    max_selections: int = 1000
    """Field selections once fragments are expanded: bounds what resolvers that look ahead must walk."""
    max_cost: int = 5000


@dataclass(frozen=True)
class Demand:
    """What a selection set asks for. `per_item` is the cost of a connection's `edges`/`nodes`, which the
    connection field multiplies by its page size; `cost` is everything else."""

    depth: int = 0
    aliases: int = 0
    selections: int = 0
    cost: int = 0
    per_item: int = 0

    def __add__(self, other: Demand) -> Demand:
        return Demand(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.selections + other.selections,
            self.cost + other.cost,
            self.per_item + other.per_item,
        )


NOTHING = Demand()


def _is_list(field: GraphQLField) -> bool:
    field_type: Any = field.type
    if isinstance(field_type, GraphQLNonNull):
        field_type = field_type.of_type
    return isinstance(field_type, GraphQLList)


def _is_connection(named: GraphQLNamedType | None) -> bool:
    return isinstance(named, GraphQLObjectType) and "edges" in named.fields and "pageInfo" in named.fields


def _page_size(node: FieldNode) -> int:
    """The `first` a connection field asks for: a literal (capped to the largest page: the resolver refuses more
    with a clearer message), the largest page for a variable, the default page size when absent."""
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        if isinstance(argument.value, IntValueNode):
            return max(0, min(int(argument.value.value), MAX_PAGE_SIZE))
        if isinstance(argument.value, VariableNode):
            return MAX_PAGE_SIZE
    return DEFAULT_PAGE_SIZE


class DocumentDemand:
    """Walks a document's selection sets, each fragment once; `selection_sets_walked` counts the walks."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self._done: dict[str, Demand] = {}
        self._walking: set[str] = set()
        self.selection_sets_walked = 0

    def operation(self, operation: OperationDefinitionNode) -> Demand:
        root = self.schema.get_root_type(operation.operation)
        return self._selection_set(operation.selection_set, root)

    def fragment(self, name: str) -> Demand:
        if name in self._done:
            return self._done[name]
        fragment = self.fragments.get(name)
        if fragment is None or name in self._walking:
            return NOTHING  # unknown or cyclic: other validation rules report it
        self._walking.add(name)
        try:
            condition = self.schema.get_type(fragment.type_condition.name.value)
            demand = self._selection_set(fragment.selection_set, condition)
        finally:
            self._walking.discard(name)
        self._done[name] = demand
        return demand

    def _selection_set(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> Demand:
        self.selection_sets_walked += 1
        total = NOTHING
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total = total + self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                scope = self.schema.get_type(condition.name.value) if condition is not None else parent
                total = total + self._selection_set(selection.selection_set, scope)
            elif isinstance(selection, FragmentSpreadNode):
                total = total + self.fragment(selection.name.value)
        return total

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Demand:
        aliases = 1 if node.alias is not None else 0
        name = node.name.value
        definition = META_FIELDS.get(name) or (
            parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
        )
        if node.selection_set is None or definition is None:
            return Demand(aliases=aliases, selections=1)
        named = get_named_type(definition.type)
        inner = self._selection_set(node.selection_set, named)
        if name in META_FIELDS:  # introspection costs nothing and has no depth (as in strawberry's limiter)
            return Demand(0, aliases + inner.aliases, 1 + inner.selections)
        own = Demand(1 + inner.depth, aliases + inner.aliases, 1 + inner.selections)
        if _is_connection(parent) and name in PAGED_LIST_FIELDS:
            return _with(own, per_item=1 + inner.cost + inner.per_item * DEFAULT_PAGE_SIZE)
        if _is_connection(named):
            page = _page_size(node) if "first" in definition.args else DEFAULT_PAGE_SIZE
            return _with(own, cost=1 + inner.cost + page * inner.per_item)
        one = 1 + inner.cost + inner.per_item * DEFAULT_PAGE_SIZE
        return _with(own, cost=one * ASSUMED_LIST_SIZE if _is_list(definition) else one)


def _with(demand: Demand, cost: int = 0, per_item: int = 0) -> Demand:
    return Demand(demand.depth, demand.aliases, demand.selections, cost, per_item)


def _refusals(name: str, demand: Demand, limits: QueryLimits) -> Iterator[tuple[str, dict[str, int]]]:
    if demand.depth > limits.max_depth:
        yield (
            f"{name} is {demand.depth} levels deep, over the limit of {limits.max_depth}",
            {
                "depth": demand.depth,
                "maxDepth": limits.max_depth,
            },
        )
    if demand.aliases > limits.max_aliases:
        yield (
            f"{name} uses {demand.aliases} aliases, over the limit of {limits.max_aliases}",
            {
                "aliases": demand.aliases,
                "maxAliases": limits.max_aliases,
            },
        )
    if demand.selections > limits.max_selections:
        yield (
            f"{name} selects {demand.selections} fields once its fragments are expanded, over the limit of "
            f"{limits.max_selections}",
            {"selections": demand.selections, "maxSelections": limits.max_selections},
        )
    if demand.cost > limits.max_cost:
        yield (
            f"{name} costs {demand.cost}, over the limit of {limits.max_cost} (each object counts 1; a connection "
            f"counts its items times `first`, {DEFAULT_PAGE_SIZE} when absent and {MAX_PAGE_SIZE} when a variable; "
            f"other lists count {ASSUMED_LIST_SIZE} items): ask for fewer items or fields",
            {"cost": demand.cost, "maxCost": limits.max_cost},
        )


@lru_cache(maxsize=16)
def limits_rule(limits: QueryLimits) -> type[ValidationRule]:
    """The validation rule enforcing `limits`: one class per `limits`, so validation results stay cacheable."""

    class DocumentLimitsRule(ValidationRule):
        def enter_document(self, node: DocumentNode, *_args: Any) -> bool:
            demand = DocumentDemand(self.context.schema, node)
            for operation in node.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                name = f"operation {operation.name.value!r}" if operation.name else "the operation"
                for message, figures in _refusals(name, demand.operation(operation), limits):
                    extensions = {"code": "GRAPHQL_VALIDATION_FAILED", **figures}
                    self.report_error(GraphQLError(message, operation, extensions=extensions))
            return False  # walked already: skip the document for this rule

    return DocumentLimitsRule


class DocumentLimits(SchemaExtension):
    """Adds the limits rule to every operation's validation, with the hub's limits (defaults without a hub)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        limits = getattr(context, "query_limits", None)
        rule = limits_rule(limits if isinstance(limits, QueryLimits) else QueryLimits())
        self.execution_context.validation_rules = (*self.execution_context.validation_rules, rule)
        yield
