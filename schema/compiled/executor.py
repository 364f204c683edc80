"""The execution hook: graphql-core's executor, after strawberry's parsing and validation (every extension and
validation rule of the schema applied), runs the operation's plan when it has one."""

from __future__ import annotations

from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLSchema
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.compiled.plan import OperationPlan, PlanRequest
from schema.compiled.plans import plans_of
from schema.core.context import HubContext


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """`execution_context_class` of the schema: an operation the plan compiler covers runs as its plan; anything
    else, and any request its plan hands back, runs the resolvers as before."""

    document: DocumentNode | None = None

    @classmethod
    def build(cls, schema: GraphQLSchema, document: DocumentNode, *args: Any, **kwargs: Any) -> Any:
        built = super().build(schema, document, *args, **kwargs)
        if isinstance(built, CompiledExecutor):
            built.document = document
        return built

    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if isinstance(context, HubContext) and context.hub.pages is not None and self.document is not None:
            plans = plans_of(self.schema)
            plan = plans.for_operation(self.operation, self.fragment_definitions, self.document)
            if plan is not None:
                request = PlanRequest(context.hub, context.hub.pages, self.variable_values, context.accept_languages)
                return self._run(plan, request, serially)
        return super().execute_operation(serially)

    async def _run(self, plan: OperationPlan, request: PlanRequest, serially: bool | None) -> Any:
        data = await plans_of(self.schema).run(plan, request)
        if data is not None:
            return ExecutionResult(data, None)
        result = super().execute_operation(serially)
        return await result if self.is_awaitable(result) else result
