"""Where plans are kept, beside the parser and validation caches, and how one runs: a plan that cannot answer
a request as the standard executor would hands it back (None), and the standard executor answers it."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode

import schema.compiled.catalogue  # noqa: F401  (registers the catalogue's plan builders)
from schema.compiled.compiler import compile_operation
from schema.compiled.plan import Fallback, OperationPlan, PlanRequest

MAX_PLANS = 1024
"""Operations kept (compiled or found not compilable), like the parser cache: least recently used dropped."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnownOperation:
    """A plan the standard pipeline has reached execution with: its document parsed and validated."""

    operation: OperationDefinitionNode
    plan: OperationPlan


class PlanCache:
    """Plans of one schema by operation node (the parser cache hands back the same document for the same text)
    and, for requests answered before strawberry runs, by query text and operation name."""

    def __init__(self, schema: GraphQLSchema, maxsize: int = MAX_PLANS) -> None:
        self.schema = schema
        self.maxsize = maxsize
        self._by_operation: OrderedDict[int, tuple[OperationDefinitionNode, OperationPlan | None]] = OrderedDict()
        self._by_text: OrderedDict[tuple[str, str | None], KnownOperation] = OrderedDict()
        self.answered = 0
        """Requests a plan answered."""
        self.handed_back = 0
        """Requests a plan handed back to the standard executor."""

    def for_operation(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        document: DocumentNode,
    ) -> OperationPlan | None:
        """The plan of an operation the pipeline has parsed and validated (compiled on first sight)."""
        entry = self._by_operation.get(id(operation))
        if entry is not None and entry[0] is operation:
            self._by_operation.move_to_end(id(operation))
            return entry[1]
        plan = compile_operation(self.schema, operation, fragments)
        self._by_operation[id(operation)] = (operation, plan)
        _bound(self._by_operation, self.maxsize)
        if plan is not None and operation.loc is not None:
            self._remember_text(operation.loc.source.body, document, KnownOperation(operation, plan))
        return plan

    def _remember_text(self, text: str, document: DocumentNode, known: KnownOperation) -> None:
        name = known.operation.name.value if known.operation.name else None
        keys: list[tuple[str, str | None]] = [(text, name)] if name is not None else []
        if sum(isinstance(d, OperationDefinitionNode) for d in document.definitions) == 1:
            keys.append((text, None))  # the only operation runs when the request names none
        for key in keys:
            self._by_text[key] = known
        _bound(self._by_text, self.maxsize)

    def __len__(self) -> int:
        """Operations kept."""
        return len(self._by_operation)

    def for_text(self, query: str, operation_name: str | None) -> KnownOperation | None:
        known = self._by_text.get((query, operation_name))
        if known is not None:
            self._by_text.move_to_end((query, operation_name))
        return known

    async def run(self, plan: OperationPlan, request: PlanRequest) -> dict[str, object] | None:
        """The plan's `data`; None when the standard executor must answer."""
        try:
            data = await plan.run(request)
        except Fallback:
            self.handed_back += 1
            return None
        except Exception:  # the standard executor answers, and reports the fault as it always does
            log.warning("a compiled read failed; the standard executor answers it", exc_info=True)
            self.handed_back += 1
            return None
        self.answered += 1
        return data


_CACHES: dict[int, PlanCache] = {}


def plans_of(schema: GraphQLSchema) -> PlanCache:
    cache = _CACHES.get(id(schema))
    if cache is None or cache.schema is not schema:
        cache = _CACHES[id(schema)] = PlanCache(schema)
    return cache


def _bound(entries: OrderedDict[Any, Any], maxsize: int) -> None:
    while len(entries) > maxsize:
        entries.popitem(last=False)
