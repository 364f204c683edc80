"""GET /audit/export?from=&to=&format=csv|jsonl[&jurisdiction=]: the audit report of the bearer's jurisdiction,
streamed as it is read. Behind the BearerGuard (token and rate limits); only `audit:read` tokens, and only their
own jurisdiction. Bad parameters are answered 400 naming the value, before any row is read."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from hub.app import Hub
from hub.auth.bearer import principal_of
from hub.auth.scopes import AUDIT_READ
from hub.core.user_errors import InvalidArgumentError, Refused
from hub.reports.audit_export import ExportFormat, ExportPeriod, export_lines, export_rows, regulator_jurisdiction


def _error(status: int, code: str, message: str, field: str | None = None, **headers: str) -> JSONResponse:
    extensions: dict[str, Any] = {"code": code} | ({"field": field} if field else {})
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]}, status, headers=headers)


class AuditExport:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        principal = principal_of(request.scope)
        if not principal.authenticated:
            challenge = 'Bearer error="invalid_request", error_description="an audit:read token is required"'
            return _error(401, "UNAUTHENTICATED", "an audit:read token is required", WWW_Authenticate=challenge)
        if not principal.has_scope(AUDIT_READ):
            return _error(403, "FORBIDDEN", f"the audit report needs the {AUDIT_READ} scope")
        query = request.query_params
        try:
            jurisdiction = regulator_jurisdiction(principal, query.get("jurisdiction"))
            period = ExportPeriod.parse(query.get("from"), query.get("to"), self.hub.settings.audit_export_max_days)
            form = ExportFormat.parse(query.get("format", "csv"))
        except Refused as refusal:
            error = refusal.errors[0]
            return _error(403, "FORBIDDEN", str(error.message), error.field)
        except InvalidArgumentError as exc:
            return _error(400, "BAD_USER_INPUT", str(exc), exc.field)
        name = f"audit-{jurisdiction}-{period.start.date()}-{period.end.date()}.{form.value}"
        return StreamingResponse(
            export_lines(export_rows(self.hub.sessions, jurisdiction, period), form),
            media_type=form.media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )
