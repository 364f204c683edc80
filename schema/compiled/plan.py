"""The pieces of a plan: each field of the operation becomes a writer, bound once a request (its arguments
read, a `lang` validated) and then called per object to give the field's JSON value."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLField,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
)
from graphql.execution.values import VariableValues, get_argument_values

from hub.app import Hub
from hub.catalogue.page_rows import PageReader

Writer = Callable[[Any], Any]
"""The JSON value of one field of one object."""


class Fallback(Exception):
    """The plan would not answer this request as the standard executor does (it refuses an argument, say):
    the standard executor answers it instead."""


@dataclass(frozen=True)
class PlanRequest:
    hub: Hub
    pages: PageReader
    variables: VariableValues
    accept_languages: Sequence[str]


class FieldPlan(Protocol):
    def bind(self, request: PlanRequest) -> Writer: ...


class RootPlan(Protocol):
    async def resolve(self, request: PlanRequest) -> Any: ...


class Arguments:
    """A field's coerced arguments, as graphql-core hands them to its resolver: worked out once when they hold
    no variable, else for each request."""

    def __init__(self, definition: GraphQLField, node: FieldNode) -> None:
        self.definition = definition
        self.node = node
        self.constant: dict[str, Any] | None = None
        if not any(_uses_variables(argument.value) for argument in node.arguments or ()):
            with contextlib.suppress(GraphQLError):
                self.constant = get_argument_values(definition, node, None)

    def of(self, request: PlanRequest) -> dict[str, Any]:
        if self.constant is not None:
            return self.constant
        try:
            return get_argument_values(self.definition, self.node, request.variables)
        except GraphQLError:
            raise Fallback from None


def _uses_variables(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_uses_variables(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_uses_variables(f.value) for f in value.fields)
    return False


@dataclass(frozen=True)
class Constant:
    value: Any

    def bind(self, request: PlanRequest) -> Writer:
        value = self.value
        return lambda _source: value

    async def resolve(self, request: PlanRequest) -> Any:
        return self.value


@dataclass(frozen=True)
class Read:
    """A value read off the object as it is (or through `read`)."""

    read: Writer

    def bind(self, request: PlanRequest) -> Writer:
        return self.read


@dataclass(frozen=True)
class ObjectPlan:
    fields: tuple[tuple[str, FieldPlan], ...]

    def bind(self, request: PlanRequest) -> Writer:
        writers = [(key, plan.bind(request)) for key, plan in self.fields]

        def write(source: Any) -> dict[str, Any]:
            result = {}
            for key, field in writers:
                result[key] = field(source)
            return result

        return write


@dataclass(frozen=True)
class Nested:
    """An object-valued field: `read` gives the object (or None), `plan` writes it."""

    read: Writer
    plan: FieldPlan

    def bind(self, request: PlanRequest) -> Writer:
        read, write = self.read, self.plan.bind(request)

        def nested(source: Any) -> Any:
            value = read(source)
            return None if value is None else write(value)

        return nested


@dataclass(frozen=True)
class ListOf:
    read: Callable[[Any], Iterable[Any]]
    plan: FieldPlan

    def bind(self, request: PlanRequest) -> Writer:
        read, write = self.read, self.plan.bind(request)
        return lambda source: list(map(write, read(source)))


@dataclass(frozen=True)
class ByType:
    """An abstract field: the plan of the object's runtime type, chosen by `runtime_type(object)`."""

    runtime_type: Callable[[Any], str]
    plans: dict[str, FieldPlan]

    def bind(self, request: PlanRequest) -> Writer:
        runtime_type = self.runtime_type
        writers = {name: plan.bind(request) for name, plan in self.plans.items()}
        return lambda source: writers[runtime_type(source)](source)


@dataclass(frozen=True)
class OperationPlan:
    roots: tuple[tuple[str, RootPlan], ...]

    async def run(self, request: PlanRequest) -> dict[str, Any]:
        """The operation's `data`; Fallback when the standard executor must answer instead."""
        return {key: await root.resolve(request) for key, root in self.roots}
