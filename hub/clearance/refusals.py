"""The clearance domain's refusals: a code, the input field at fault and a message naming the bad value.

Each English text is marked with `N_` for the `clearance` catalogs; the GraphQL layer renders it in the caller's
language.
"""

from __future__ import annotations

from typing import Any

from hub.clearance.errors import ClearanceErrorCode
from hub.core.translations import N_, Message
from hub.core.user_errors import Refused, UserError

DOMAIN = "clearance"


ITEM_NOT_FOUND = N_("There is no catalogue item {item}.")
INVALID_COUNTRY = N_("{value} is not a country code such as CN or FR.")
INVALID_PURPOSE = N_("{value} is not a purpose: SALE or LOAN.")
UNUSABLE_FACTS = N_("The facts of item {item} cannot be used: {problem}")
TRANSFER_NOT_FOUND = N_("There is no transfer {transfer}.")
NEEDS_JURISDICTION = N_("This operation needs a {scope} token bound to a jurisdiction.")
WRONG_STATE = N_("Transfer {transfer} is {status}: this step needs it {wanted}.")
WRONG_PARTY = N_("Only {party} may take this step on transfer {transfer}; this token acts for {institution}.")
WRONG_LICENCE_JURISDICTION = N_(
    "The {document} of transfer {transfer} is decided by the regulator of {jurisdiction}, not of {own}."
)
WRONG_EXPORT_CUSTOMS = N_("Transfer {transfer} awaits export clearance by the customs of {jurisdiction}, not of {own}.")
WRONG_IMPORT_CUSTOMS = N_("Transfer {transfer} awaits import clearance by the customs of {jurisdiction}, not of {own}.")
DOCUMENT_NOT_REQUIRED = N_("Transfer {transfer} does not require {document}; it requires: {required}.")
DOCUMENT_ALREADY_DECIDED = N_("The {document} of transfer {transfer} was already {verdict} on {decided_at}.")
MISSING_REFERENCE = N_("A granted licence needs its reference number (1 to {limit} characters).")
BAD_VALIDITY = N_("A granted licence is valid from {valid_from} until {valid_until}: that period is empty or over.")
MISSING_REASON = N_("Say why, in 1 to {limit} characters.")
LICENCE_MISSING = N_("Transfer {transfer} still needs its {document} (from {jurisdiction}).")
LICENCE_NOT_REFERENCED = N_("The declaration must cite the {document} by its reference number {reference}.")
LICENCE_EXPIRED = N_("The {document} {reference} of transfer {transfer} expired on {valid_until}.")
UNKNOWN_REFERENCE = N_("{reference} is not the reference number of a licence granted for transfer {transfer}.")
ALREADY_DECLARED = N_("The customs declaration of transfer {transfer} was already filed on {filed_at}.")
DECLARATION_MISSING = N_("Transfer {transfer} has no customs declaration yet: its shipper files one first.")
DECLARATION_MISMATCH = N_("The declaration says {field} {value}, but transfer {transfer} goes {expected}.")
INVALID_HS_CODE = N_("{value} is not an HS code such as 9701 or 9701.91.")
INVALID_TEXT = N_("{field} must be 1 to {limit} characters.")
TOO_MANY_REFERENCES = N_("A declaration cites at most {limit} licence references, not {count}.")
ALREADY_HELD = N_("Transfer {transfer} is already held by the customs of {jurisdiction}: {reason}")
NOT_HELD_AT_EXPORT = N_("Transfer {transfer} is not held at export: there is no hold to uphold.")
NOT_HELD_AT_IMPORT = N_("Transfer {transfer} is not held at import: there is no hold to uphold.")


def refused(code: ClearanceErrorCode, field: str | None, text: str, /, **values: Any) -> Refused:
    """A refusal on the input `field` (None: the request as a whole); `values` fill the text's placeholders."""
    return Refused(UserError(code, field, Message(DOMAIN, text, **values)))
