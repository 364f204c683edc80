"""The partner-neutral sample catalogue a sandbox server renders into its own protocol.

Each sandbox keeps its objects in a `SampleStore`; tests and benchmarks change them
(`add`, `update`, `delete`) and the next harvest sees the change, as with a real partner.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass
class SampleObject:
    """One invented holding. `titles` and `descriptions` map BCP 47 tags (or "" for untagged) to text."""

    id: str
    kind: str
    titles: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    creators: list[str] = field(default_factory=list)
    period: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    material: str | None = None
    dimensions: str | None = None
    grade: str | None = None
    origin_country: str = "CN"
    export_restricted: bool = False
    images: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime = field(default_factory=lambda: datetime(2024, 1, 1, tzinfo=UTC))
    deleted: bool = False


class SampleStore:
    """Objects in the order of their last change, with a clock that always moves forward."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._objects: dict[str, SampleObject] = {}
        self._clock = clock or (lambda: datetime.now(UTC).replace(microsecond=0))
        self._last = datetime(2000, 1, 1, tzinfo=UTC)
        self._ordered: list[SampleObject] | None = None
        self.changes: list[tuple[str, str, datetime]] = []
        """Every change as (object id, "Create" | "Update" | "Delete", time): the change log."""

    def now(self) -> datetime:
        moment = self._clock()
        if moment <= self._last:
            moment = self._last + timedelta(microseconds=1)
        self._last = moment
        return moment

    def load(self, objects: list[SampleObject]) -> None:
        """Seed objects with their own `updated_at` (sample data), keeping the change log ordered."""
        for obj in sorted(objects, key=lambda o: o.updated_at):
            self._objects[obj.id] = obj
            self.changes.append((obj.id, "Create", obj.updated_at))
            if obj.deleted:
                self.changes.append((obj.id, "Delete", obj.updated_at))
            self._last = max(self._last, obj.updated_at)
        self._ordered = None

    def add(self, obj: SampleObject) -> SampleObject:
        obj.updated_at = self.now()
        obj.deleted = False
        self._objects[obj.id] = obj
        self.changes.append((obj.id, "Create", obj.updated_at))
        self._ordered = None
        return obj

    def update(self, object_id: str, **changes: Any) -> SampleObject:
        obj = dataclasses.replace(self._objects[object_id], **changes)
        obj.updated_at = self.now()
        self._objects[object_id] = obj
        self.changes.append((object_id, "Update", obj.updated_at))
        self._ordered = None
        return obj

    def delete(self, object_id: str) -> SampleObject:
        obj = self._objects[object_id]
        obj.deleted = True
        obj.updated_at = self.now()
        self.changes.append((object_id, "Delete", obj.updated_at))
        self._ordered = None
        return obj

    def get(self, object_id: str) -> SampleObject | None:
        return self._objects.get(object_id)

    def __len__(self) -> int:
        return len(self._objects)

    def ordered(self) -> list[SampleObject]:
        """All objects (tombstones included) by last change, then id: a stable order for paging."""
        if self._ordered is None:
            self._ordered = sorted(self._objects.values(), key=lambda o: (o.updated_at, o.id))
        return self._ordered

    def changed_since(self, since: datetime | None) -> Iterator[SampleObject]:
        for obj in self.ordered():
            if since is None or obj.updated_at >= since:
                yield obj


def synthetic_objects(prefix: str, count: int, kinds: list[str], start: datetime) -> list[SampleObject]:
    """`count` generated objects for benchmarks, bilingual, one second apart."""
    names = itertools.cycle(
        [
            ("开元通宝", "Kaiyuan tongbao coin", "COIN"),
            ("三彩马", "Sancai horse", "CERAMIC"),
            ("鎏金银杯", "Gilt silver cup", "METALWORK"),
            ("墓志拓片", "Epitaph rubbing", "RUBBING"),
            ("丝绸之路研究", "Silk Road studies", "BOOK"),
        ]
    )
    out = []
    for i, (zh, en, kind) in zip(range(count), names, strict=False):
        out.append(
            SampleObject(
                id=f"{prefix}-syn-{i:06d}",
                kind=kind if kind in kinds else kinds[i % len(kinds)],
                titles={"zh": f"{zh} 第{i}号", "en": f"{en} no. {i}"},
                descriptions={"en": f"Synthetic benchmark record {i}."},
                period="Tang",
                year_from=618 + i % 289,
                year_to=618 + i % 289,
                material="bronze",
                updated_at=start + timedelta(seconds=i),
            )
        )
    return out
