"""Institutions: registering partners the hub harvests and institutions that only trade, and finding them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.catalogue.models import Institution
from hub.core.user_errors import CommonErrorCode, Refused, UserError
from hub.harvest.partners import PROTOCOLS

MAX_CODE_LENGTH = 32


class InstitutionError(ValueError):
    """An institution cannot be registered as asked; the message names the bad value."""


async def add_institution(
    session: AsyncSession, code: str, name: str, country: str, lang: str = "und", protocol: str | None = None
) -> Institution:
    """Registers an institution; with a connector `protocol` it is a partner the hub harvests."""
    code = code.strip().upper()
    if not code or len(code) > MAX_CODE_LENGTH or not code.replace("_", "").replace("-", "").isalnum():
        raise InstitutionError(f"institution code must be 1-{MAX_CODE_LENGTH} letters or digits, not {code!r}")
    if not name.strip():
        raise InstitutionError(f"institution {code} needs a name")
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InstitutionError(f"country must be an ISO 3166 code like FR, not {country!r}")
    if protocol is not None and protocol not in PROTOCOLS:
        raise InstitutionError(f"unknown connector protocol {protocol!r}; known: {', '.join(sorted(PROTOCOLS))}")
    if await session.scalar(select(Institution.id).where(Institution.code == code)) is not None:
        raise InstitutionError(f"institution {code} exists already")
    institution = Institution(
        code=code, names=[{"lang": lang, "value": name.strip()}], country=country, protocol=protocol
    )
    session.add(institution)
    await session.flush()
    return institution


async def list_institutions(session: AsyncSession) -> list[Institution]:
    """Every institution, in the order they were registered (the partners first)."""
    return list(await session.scalars(select(Institution).order_by(Institution.id)))


async def institution_by_code(session: AsyncSession, code: str) -> Institution:
    """The institution `code`; Refused (NOT_FOUND on `institution`) when the hub does not know it."""
    row = await session.scalar(select(Institution).where(Institution.code == code))
    if row is None:
        raise Refused(UserError(CommonErrorCode.NOT_FOUND, "institution", f"unknown institution {code!r}"))
    return row


async def institutions_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Institution]:
    rows = await session.scalars(select(Institution).where(Institution.id.in_(ids)))
    return {row.id: row for row in rows}


async def institutions_by_codes(session: AsyncSession, codes: Sequence[str]) -> dict[str, Institution]:
    rows = await session.scalars(select(Institution).where(Institution.code.in_(codes)))
    return {row.code: row for row in rows}
