"""The plan compiler: an operation becomes a plan when every field it selects has a plan builder (registered
by the domains' modules, `schema/compiled/catalogue.py`) and declares no permission or field extension."""

from __future__ import annotations

from collections.abc import Callable

from graphql import (
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
)

from schema.compiled.plan import Constant, FieldPlan, ObjectPlan, OperationPlan, RootPlan
from schema.compiled.selection import CollectedField, NotCompilable, collect_fields

Builder = Callable[["Compiler", CollectedField, GraphQLField], FieldPlan]
RootBuilder = Callable[["Compiler", CollectedField, GraphQLField], RootPlan]

FIELD_PLANS: dict[str, dict[str, Builder]] = {}
"""Plan builders by object type and field name."""
ROOT_PLANS: dict[str, RootBuilder] = {}
"""Plan builders of Query's fields."""


class Compiler:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.needs: set[str] = set()
        """What the fields compiled so far need fetched with their objects ("institutions", ...); a root plan
        clears it before compiling its selection and reads it after."""

    def object_type(self, name: str) -> GraphQLObjectType:
        named = self.schema.get_type(name)
        if not isinstance(named, GraphQLObjectType):
            raise NotCompilable(f"type {name}")
        return named

    def _definition(self, parent: GraphQLObjectType, field: CollectedField) -> GraphQLField:
        definition: GraphQLField | None = parent.fields.get(field.name)
        if definition is None:
            raise NotCompilable(f"{parent.name}.{field.name}")
        declared = (definition.extensions or {}).get("strawberry-definition")
        if declared is not None and (getattr(declared, "permission_classes", None) or declared.extensions):
            raise NotCompilable(f"{parent.name}.{field.name} declares permissions or extensions")
        return definition

    def object_plan(self, type_name: str, field: CollectedField) -> ObjectPlan:
        """The plan of `field`'s selection on an object of type `type_name`."""
        parent = self.object_type(type_name)
        builders = FIELD_PLANS.get(type_name, {})
        entries: list[tuple[str, FieldPlan]] = []
        for child in collect_fields(self.schema, self.fragments, parent, field.selection_sets):
            if child.name == "__typename":
                entries.append((child.key, Constant(type_name)))
                continue
            builder = builders.get(child.name)
            if builder is None:
                raise NotCompilable(f"{type_name}.{child.name}")
            entries.append((child.key, builder(self, child, self._definition(parent, child))))
        return ObjectPlan(tuple(entries))

    def operation_plan(self, operation: OperationDefinitionNode) -> OperationPlan:
        if operation.operation is not OperationType.QUERY or operation.directives:
            raise NotCompilable("not a query")
        query = self.schema.query_type
        assert query is not None
        roots: list[tuple[str, RootPlan]] = []
        for field in collect_fields(self.schema, self.fragments, query, [operation.selection_set]):
            if field.name == "__typename":
                roots.append((field.key, Constant(query.name)))
                continue
            builder = ROOT_PLANS.get(field.name)
            if builder is None:
                raise NotCompilable(f"Query.{field.name}")
            roots.append((field.key, builder(self, field, self._definition(query, field))))
        return OperationPlan(tuple(roots))


def compile_operation(
    schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> OperationPlan | None:
    """The plan of a validated operation; None when it selects anything the compiler does not cover."""
    try:
        return Compiler(schema, fragments).operation_plan(operation)
    except NotCompilable:
        return None
