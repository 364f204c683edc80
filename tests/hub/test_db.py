from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from hub.db import create_engine, is_statement_timeout
from tests.slow_search import COUNTING_FOREVER


async def test_statement_timeout_stops_a_long_statement(database_url: str) -> None:
    engine = create_engine(database_url, statement_timeout=0.2)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as stopped:
                await connection.execute(COUNTING_FOREVER)
        async with engine.connect() as connection:  # the connection serves again
            assert (await connection.exec_driver_sql("SELECT 1")).scalar() == 1
    finally:
        await engine.dispose()
    assert is_statement_timeout(stopped.value)


async def test_statement_timeout_leaves_short_statements_alone(database_url: str) -> None:
    engine = create_engine(database_url, statement_timeout=0.2)
    try:
        async with engine.connect() as connection:
            small = (
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT count(*) FROM n"
            )
            assert (await connection.exec_driver_sql(small)).scalar() == 1000
    finally:
        await engine.dispose()
