"""What one catalogue write did, and the audit entry that records it in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.log import append_entry


@dataclass
class ChangeSet:
    """What one write did, by item id: for sync counters, audit entries and `catalogueChanges` events."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: int = 0
    rejected: int = 0
    """Records of a harvested page that were set aside instead (see `hub.harvest.rejections`)."""

    def extend(self, other: ChangeSet) -> None:
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed
        self.unchanged += other.unchanged
        self.rejected += other.rejected

    def as_payload(self) -> dict[str, list[int]]:
        """The audit payload of this write: item ids by what happened to them."""
        return {"added": self.added, "changed": self.changed, "removed": self.removed}

    @property
    def written(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


class CatalogueAction:
    """Audit actions of the catalogue, named after what happened."""

    HARVESTED = "catalogue.harvested"
    ITEMS_UPSERTED = "catalogue.items_upserted"
    ITEMS_DELETED = "catalogue.items_deleted"


async def audit_changes(
    session: AsyncSession,
    changes: ChangeSet,
    actor: str,
    action: str,
    institution: str,
    country: str,
    more: dict[str, list[str]] | None = None,
) -> None:
    """Appends the audit entry of a write that changed items of `institution`; a write that changed none has none.

    `more` adds lists to the payload (a harvest's rejected and cleared records); a non-empty one is a change too.
    """
    extra = {name: values for name, values in (more or {}).items() if values}
    if changes.written or extra:
        await append_entry(
            session,
            actor=actor,
            action=action,
            subject=f"institution:{institution}",
            jurisdictions=[country],
            payload=changes.as_payload() | extra,
        )
