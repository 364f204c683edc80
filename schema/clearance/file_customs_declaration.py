"""`fileCustomsDeclaration`: the shipper declares the goods (HS code, value, route, parties, licence references);
refused while a required licence is missing or expired."""

from __future__ import annotations

import strawberry

from hub.clearance.customs import Declaration
from hub.clearance.service import ClearanceOutcome
from schema.clearance.payloads import ClearancePayload, clearance_payload
from schema.core.context import Info
from schema.core.mutation import run_mutation
from schema.money.types import MoneyInput
from schema.trading.ids import TRANSFER, input_key


@strawberry.input
class FileCustomsDeclarationInput:
    transfer_id: strawberry.ID
    hs_code: str = strawberry.field(description="Such as 9701 or 9701.91 (the decision suggests one).")
    declared_value: MoneyInput
    origin_country: str
    destination_country: str
    consignor: str
    consignee: str
    licence_references: list[str] = strawberry.field(
        default_factory=list, description="The reference numbers of the licences granted for this transfer."
    )
    idempotency_key: str | None = None


@strawberry.type
class FileCustomsDeclarationPayload(ClearancePayload):
    pass


async def file_customs_declaration(info: Info, input: FileCustomsDeclarationInput) -> FileCustomsDeclarationPayload:
    async def present(outcome: ClearanceOutcome) -> FileCustomsDeclarationPayload:
        return FileCustomsDeclarationPayload(**clearance_payload(info, outcome))  # type: ignore[arg-type]

    async def call() -> ClearanceOutcome:
        transfer_id = input_key(str(input.transfer_id), TRANSFER, "transfer_id")
        declaration = Declaration(
            hs_code=input.hs_code.strip(),
            declared_value=input.declared_value.parsed("declared_value"),
            origin_country=input.origin_country.strip().upper(),
            destination_country=input.destination_country.strip().upper(),
            consignor=input.consignor,
            consignee=input.consignee,
            licence_references=tuple(input.licence_references),
        )
        return await info.context.hub.clearance.file_customs_declaration(
            info.context.principal, transfer_id, declaration, input.idempotency_key
        )

    return await run_mutation(FileCustomsDeclarationPayload, call(), present)
