"""The mutation base: run one service call, map what it refused to `errors { code field message }`.

A resolver parses its input, hands the service call to `run_mutation` with a function that presents the
outcome as its payload, and never maps errors itself (Saleor's BaseMutation idea). A service refuses by raising
`Refused` (the payload then holds only the errors); an outcome may also report errors beside its result
(a harvest that ran and failed) through an `errors` list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import strawberry

from hub.core.user_errors import Refused
from hub.core.user_errors import UserError as DomainUserError
from schema.core.user_errors import UserError


@strawberry.type
class MutationPayload:
    """The base of every mutation payload."""

    errors: list[UserError] = strawberry.field(default_factory=list)


P = TypeVar("P", bound=MutationPayload)
T = TypeVar("T")


def user_errors(errors: Sequence[DomainUserError]) -> list[UserError]:
    return [UserError.from_domain(error) for error in errors]


async def run_mutation(payload: type[P], call: Awaitable[T], present: Callable[[T], Awaitable[P]]) -> P:
    """The payload of one service call: `present(outcome)` with the outcome's own errors, or the refusal's."""
    try:
        outcome = await call
    except Refused as refusal:
        return payload(errors=user_errors(refusal.errors))
    result = await present(outcome)
    reported: Any = getattr(outcome, "errors", [])
    result.errors = user_errors(reported)
    return result
