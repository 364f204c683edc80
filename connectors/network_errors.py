"""Network failures in words: what an operator reads instead of an aiohttp exception's repr."""

from __future__ import annotations

import aiohttp


def describe_network_error(exc: aiohttp.ClientError) -> str:
    """One short phrase: "cannot resolve host partner.example", "connection refused by 127.0.0.1:9", ..."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"cannot resolve host {exc.host}"
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return f"the TLS certificate of {exc.host}:{exc.port} was refused: {exc.certificate_error}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = (exc.os_error.strerror or str(exc.os_error)).lower()
        if isinstance(exc.os_error, ConnectionRefusedError):
            return f"connection refused by {exc.host}:{exc.port} (is the partner's server running?)"
        return f"cannot connect to {exc.host}:{exc.port}: {reason}"
    if isinstance(exc, aiohttp.ClientOSError):
        return f"the connection broke: {(exc.strerror or str(exc)).lower()}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection before answering"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the answer was cut off before its end"
    if isinstance(exc, aiohttp.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, aiohttp.InvalidURL):
        return f"not a valid URL: {exc.url}"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
