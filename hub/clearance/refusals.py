"""The clearance domain's refusals: a code, the input field at fault and a message naming the bad value.

Each English text is marked for extraction into the `clearance` catalogs and rendered in the caller's
language by the GraphQL layer.
"""

from __future__ import annotations

from typing import Any

from hub.clearance.errors import ClearanceErrorCode
from hub.core.user_errors import Refused, UserError


def N_(text: str) -> str:
    return text


ITEM_NOT_FOUND = N_("There is no catalogue item {item}.")
INVALID_COUNTRY = N_("{value} is not a country code such as CN or FR.")
INVALID_PURPOSE = N_("{value} is not a purpose: SALE or LOAN.")
UNUSABLE_FACTS = N_("The facts of item {item} cannot be used: {problem}")


def refused(code: ClearanceErrorCode, field: str | None, text: str, **values: Any) -> Refused:
    return Refused(UserError(code, field, text.format(**values)))
