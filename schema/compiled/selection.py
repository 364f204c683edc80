"""Collecting the fields a selection set asks of one runtime type: fragments expanded, response keys merged in
the order GraphQL gives them. Directives are not collected: an operation with any is not compiled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    SelectionSetNode,
    is_abstract_type,
)


class NotCompilable(Exception):
    """The operation uses something the plan compiler does not cover; the standard executor runs it."""


@dataclass
class CollectedField:
    key: str
    """The response key: the alias, else the field name."""
    name: str
    nodes: list[FieldNode] = field(default_factory=list)
    """Every node merged under the key (their selection sets are merged too)."""

    @property
    def selection_sets(self) -> list[SelectionSetNode]:
        return [node.selection_set for node in self.nodes if node.selection_set is not None]


def collect_fields(
    schema: GraphQLSchema,
    fragments: dict[str, FragmentDefinitionNode],
    runtime_type: GraphQLObjectType,
    selection_sets: Iterable[SelectionSetNode],
) -> list[CollectedField]:
    collected: dict[str, CollectedField] = {}
    visited: set[str] = set()

    def applies(condition: NamedTypeNode | None) -> bool:
        if condition is None:
            return True
        named = schema.get_type(condition.name.value)
        if named is runtime_type:
            return True
        return named is not None and is_abstract_type(named) and schema.is_sub_type(named, runtime_type)

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise NotCompilable("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                collected.setdefault(key, CollectedField(key, selection.name.value)).nodes.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if applies(selection.type_condition):
                    walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None or fragment.directives or fragment.variable_definitions:
                    raise NotCompilable(f"fragment {name}")
                if name not in visited:
                    visited.add(name)
                    if applies(fragment.type_condition):
                        walk(fragment.selection_set)

    for selection_set in selection_sets:
        walk(selection_set)
    return list(collected.values())
