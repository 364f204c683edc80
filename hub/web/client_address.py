"""The address a request comes from, as rate limits count it.

X-Forwarded-For is believed only from the proxies in HUB_TRUSTED_PROXIES: read from the right, the first hop
that is not a trusted proxy is the client. An IPv6 client counts as its /64 network (one subscriber's share).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import Scope

from hub.settings import IPNetwork

UNKNOWN = "unknown"


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: Iterable[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def _key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address.ipv4_mapped or address) if isinstance(address, ipaddress.IPv6Address) else str(address)


def client_address(scope: Scope, proxies: tuple[IPNetwork, ...]) -> str:
    client = scope.get("client")
    peer = _parse(client[0]) if client else None
    if peer is None:
        return UNKNOWN
    if not proxies or not _trusted(peer, proxies):
        return _key(peer)
    hops = [hop for value in Headers(scope=scope).getlist("x-forwarded-for") for hop in value.split(",")]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return _key(peer)  # a hop we cannot read: the last proxy we trust is the client we know
        if not _trusted(address, proxies):
            return _key(address)
    return _key(peer)
