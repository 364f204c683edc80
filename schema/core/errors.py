"""Errors a client is meant to see, with GraphQL field paths and a code (`extensions.code`, as Apollo names
them). Anything else is masked: the client gets INTERNAL_SERVER_ERROR with the request id, the log the fault.

Client mistakes are logged at INFO in one line; unexpected faults at ERROR with their traceback.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext
from strawberry.utils.str_converters import to_camel_case

from hub.core.translations import render
from hub.core.user_errors import InvalidArgumentError, Refused
from hub.db import is_statement_timeout

log = logging.getLogger("hub.graphql")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def graphql_path(field: str | None) -> str | None:
    """A domain field path (`items[2].source_id`, `source_ids[1]`) in the graph's names (`items[2].sourceId`,
    `sourceIds[1]`): each name camel-cased the way strawberry names fields and arguments, indexes kept."""
    if field is None:
        return None
    return _NAME.sub(lambda name: to_camel_case(name.group()), field)


def bad_argument(field: str | None, message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": BAD_USER_INPUT, "field": graphql_path(field)})


@contextlib.contextmanager
def domain_errors(languages: Sequence[str] = ()) -> Iterator[None]:
    """Turns what a service refuses in a query into a GraphQL error: a bad argument is BAD_USER_INPUT, a refusal
    keeps its code (FORBIDDEN, say) and its message in the first of `languages` the hub speaks; both name the field."""
    try:
        yield
    except InvalidArgumentError as exc:
        raise bad_argument(exc.field, str(exc)) from None
    except Refused as refusal:
        first = refusal.errors[0]
        extensions = {"code": first.code.value, "field": graphql_path(first.field)}
        raise GraphQLError(render(first.message, languages), extensions=extensions) from None


def should_mask(error: GraphQLError) -> bool:
    """Mask unexpected faults; keep validation errors and the GraphQLErrors we raise on purpose."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


def error_code(error: GraphQLError, executed: bool) -> str:
    """The code of an error: its own; else by what it is. An error without a cause is the client's: a document
    that does not parse or validate, or (once execution began) variables that do not fit their types."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if should_mask(error):
        return REQUEST_TIMEOUT if is_statement_timeout(error.original_error) else INTERNAL_SERVER_ERROR
    if isinstance(error, GraphQLSyntaxError) or isinstance(error.original_error, GraphQLSyntaxError):
        return PARSE_FAILED
    if error.original_error is not None or executed:
        return BAD_USER_INPUT
    return VALIDATION_FAILED


def _one_line(text: str) -> str:
    return " ".join(text.split())


def report_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """Gives every error its code and logs it (called by the schema before errors are masked)."""
    request_id = getattr(getattr(execution_context, "context", None), "request_id", None)
    executed = execution_context is not None and execution_context.result is not None
    for error in errors:
        code = error_code(error, executed)
        if code == INTERNAL_SERVER_ERROR:
            log.error(
                "unexpected fault (request %s) at %s: %s",
                request_id,
                ".".join(map(str, error.path or [])) or "-",
                _one_line(error.message),
                exc_info=error.original_error,
            )
        elif code == REQUEST_TIMEOUT:
            log.warning("statement timeout (request %s): %s", request_id, ".".join(map(str, error.path or [])))
        else:
            error.extensions = {**(error.extensions or {}), "code": code}
            log.info("client error %s (request %s): %s", code, request_id, _one_line(error.message))


class MaskUnexpectedErrors(MaskErrors):
    """Masks unexpected faults: the client sees INTERNAL_SERVER_ERROR and the request id of the log line (or
    REQUEST_TIMEOUT for a statement stopped by the statement timeout), never the fault's own words."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        extensions: dict[str, Any] = {"code": INTERNAL_SERVER_ERROR}
        message = "Unexpected error."
        if is_statement_timeout(error.original_error):
            extensions["code"] = REQUEST_TIMEOUT
            message = "a database statement took longer than the statement timeout and was stopped"
        request_id = getattr(self.execution_context.context, "request_id", None)
        if request_id is not None:
            extensions["requestId"] = request_id
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
