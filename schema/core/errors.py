"""Errors a client is meant to see, with GraphQL field paths. Anything else is masked."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.utils.str_converters import to_camel_case

from hub.core.user_errors import InvalidArgumentError, Refused

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def graphql_path(field: str | None) -> str | None:
    """A domain field path (`items[2].source_id`, `source_ids[1]`) in the graph's names (`items[2].sourceId`,
    `sourceIds[1]`): each name camel-cased the way strawberry names fields and arguments, indexes kept."""
    if field is None:
        return None
    return _NAME.sub(lambda name: to_camel_case(name.group()), field)


def bad_argument(field: str | None, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": graphql_path(field)})


@contextlib.contextmanager
def domain_errors() -> Iterator[None]:
    """Turns what a service refuses in a query into a GraphQL error: a bad argument is BAD_USER_INPUT, a refusal
    keeps its code (FORBIDDEN, say); both name the field."""
    try:
        yield
    except InvalidArgumentError as exc:
        raise bad_argument(exc.field, str(exc)) from None
    except Refused as refusal:
        first = refusal.errors[0]
        extensions = {"code": first.code.value, "field": graphql_path(first.field)}
        raise GraphQLError(first.message, extensions=extensions) from None


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected faults; keep validation errors and the GraphQLErrors we raise on purpose."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)
