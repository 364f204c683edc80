"""`triggerSync`: a partner asks the hub to harvest it now, and hears what changed."""

from __future__ import annotations

import strawberry

from hub.harvest.service import SyncResult
from schema.core.context import Info
from schema.core.mutation import MutationPayload, run_mutation


@strawberry.input
class TriggerSyncInput:
    institution: str | None = strawberry.field(default=None, description="Default: the token's institution.")
    full: bool = strawberry.field(default=False, description="Ignore the checkpoint and harvest everything.")
    idempotency_key: str | None = strawberry.field(
        default=None, description="Accepted like everywhere; a repeated sync is harmless (it resumes)."
    )


@strawberry.type(description="What one harvest did.")
class SyncRun:
    institution: str
    ok: bool
    pages: int
    added: int
    changed: int
    removed: int
    unchanged: int
    rejected: int = strawberry.field(description="Records set aside: see `rejectedRecords`.")

    @classmethod
    def from_result(cls, result: SyncResult) -> SyncRun:
        return cls(
            institution=result.partner,
            ok=result.ok,
            pages=result.pages,
            added=len(result.changes.added),
            changed=len(result.changes.changed),
            removed=len(result.changes.removed),
            unchanged=result.changes.unchanged,
            rejected=result.rejected,
        )


@strawberry.type
class TriggerSyncPayload(MutationPayload):
    sync: SyncRun | None = None


async def trigger_sync(info: Info, input: TriggerSyncInput) -> TriggerSyncPayload:
    async def present(result: SyncResult) -> TriggerSyncPayload:
        return TriggerSyncPayload(sync=SyncRun.from_result(result))

    harvest = info.context.hub.sync.trigger_sync(info.context.principal, input.institution, input.full)
    return await run_mutation(TriggerSyncPayload, harvest, present)
