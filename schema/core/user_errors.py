"""`UserError { code field message }`: the expected refusals a mutation payload reports.

`UserErrorCode` is the union of every domain's error-code enum; a new domain adds its enum to `ERROR_CODE_ENUMS`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import cast

import strawberry

from hub.core.translations import Message, render
from hub.core.user_errors import CommonErrorCode
from hub.core.user_errors import UserError as DomainUserError
from hub.harvest.errors import HarvestErrorCode
from schema.core.errors import graphql_path

ERROR_CODE_ENUMS: tuple[type[enum.Enum], ...] = (CommonErrorCode, HarvestErrorCode)
"""Every domain's error codes, shown in the graph as one enum (a code two domains share appears once)."""


def union_of(name: str, enums: Iterable[type[enum.Enum]]) -> type[enum.Enum]:
    """One enum holding the members of `enums`, by value, in order."""
    values = {member.value: member.value for codes in enums for member in codes}
    return cast(type[enum.Enum], enum.Enum(name, values))


UserErrorCode = strawberry.enum(
    union_of("UserErrorCode", ERROR_CODE_ENUMS), name="UserErrorCode", description="Stable error codes."
)


@strawberry.type(description="An expected refusal: a rule, a conflict or a bad value. `field` is the input path.")
class UserError:
    code: UserErrorCode  # type: ignore[valid-type]
    field: str | None
    text: strawberry.Private[str | Message]

    @strawberry.field(description="What went wrong, in the caller's language (Accept-Language); English otherwise.")
    def message(self, info: strawberry.Info) -> str:
        return render(self.text, getattr(info.context, "accept_languages", ()))

    @classmethod
    def from_domain(cls, error: DomainUserError) -> UserError:
        return cls(code=UserErrorCode(error.code.value), field=graphql_path(error.field), text=error.message)
