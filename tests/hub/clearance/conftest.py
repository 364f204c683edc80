from __future__ import annotations

import pytest

from hub.clearance import RuleTable, load_rule_table


@pytest.fixture(scope="session")
def table() -> RuleTable:
    return load_rule_table()
