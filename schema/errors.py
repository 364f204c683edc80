"""Errors a client is meant to see. Anything else is masked."""

from __future__ import annotations

from graphql import GraphQLError


def bad_argument(field: str, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "field": field})


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected faults; keep validation errors and the GraphQLErrors we raise on purpose."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)
