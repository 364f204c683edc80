from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import select

from connectors.records import CatalogueRecord
from hub.catalogue_store import store_records
from hub.models import Institution
from hub.runtime import Hub
from tests import records


async def store(hub: Hub, code: str, items: Sequence[CatalogueRecord]) -> None:
    async with hub.sessions.begin() as session:
        institution_id = await session.scalar(select(Institution.id).where(Institution.code == code))
        assert institution_id is not None
        await store_records(session, institution_id, items)


@pytest.fixture
async def catalogue(hub: Hub) -> Hub:
    """Six known items over the three partners."""
    await store(hub, "TWMM", [records.SANCAI_HORSE, records.KAIYUAN_COIN, records.HAN_MIRROR])
    await store(hub, "CRECC", [records.CAMEL_GROOM, records.SILVER_CUP])
    await store(hub, "NLC", [records.SOGDIAN_BOOK])
    return hub
