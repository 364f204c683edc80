"""The money domain's refusals in the graph: a MoneyError becomes a payload error in a mutation (through
`Refused`, so `run_mutation` reports it) and a BAD_USER_INPUT error, naming the field, in a query."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Iterator, Sequence
from typing import TypeVar

from graphql import GraphQLError

from hub.core.translations import render
from hub.core.user_errors import Refused, UserError
from hub.money.errors import MoneyError, field_path
from schema.core.errors import BAD_USER_INPUT, graphql_path

T = TypeVar("T")


def refusal(error: MoneyError, prefix: str | None = None) -> Refused:
    """`error` as a refusal; `prefix` puts its field under an input field (`price` gives `price.amount`)."""
    field = field_path(prefix, error.field) if error.field else prefix
    return Refused(UserError(error.code, field, error.text))


@contextlib.contextmanager
def refusing(prefix: str | None = None) -> Iterator[None]:
    """Inside a mutation: a MoneyError raised in the block is refused, its field under `prefix`."""
    try:
        yield
    except MoneyError as error:
        raise refusal(error, prefix) from None


async def refused_on_error(call: Awaitable[T]) -> T:
    """`call`'s outcome; a MoneyError it raises is refused (for `run_mutation`)."""
    with refusing():
        return await call


@contextlib.contextmanager
def query_errors(languages: Sequence[str] = ()) -> Iterator[None]:
    """Inside a query: a MoneyError is a GraphQL error (BAD_USER_INPUT, or FORBIDDEN) with the money code as
    `reason` and the field, its message in the first of `languages` the hub speaks."""
    try:
        yield
    except MoneyError as error:
        code = BAD_USER_INPUT if error.code.value != "FORBIDDEN" else "FORBIDDEN"
        extensions = {"code": code, "reason": error.code.value, "field": graphql_path(error.field)}
        raise GraphQLError(render(error.text, languages), extensions=extensions) from None
