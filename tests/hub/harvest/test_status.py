from __future__ import annotations

from datetime import UTC, datetime

from hub.harvest.models import SyncState
from hub.harvest.status import PartnerSyncStatus, SyncStatus

AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def state(status: str) -> SyncState:
    return SyncState(institution_id=1, status=status, last_success_at=AT, last_error="CRECC: malformed JSON")


def test_sync_status_shows_the_last_error_while_the_last_harvest_failed() -> None:
    assert PartnerSyncStatus.of(state("FAILED")) == PartnerSyncStatus(SyncStatus.FAILED, AT, "CRECC: malformed JSON")


def test_sync_status_hides_an_old_error_once_a_harvest_runs_or_succeeds() -> None:
    assert PartnerSyncStatus.of(state("RUNNING")).last_error is None
    assert PartnerSyncStatus.of(state("OK")) == PartnerSyncStatus(SyncStatus.OK, AT, None)


def test_sync_status_of_a_partner_never_harvested() -> None:
    assert PartnerSyncStatus.of(None) == PartnerSyncStatus(SyncStatus.NEVER)
