from __future__ import annotations

import ipaddress

import pytest

from hub.web.client_address import client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)


def scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 5000), "headers": headers}


@pytest.mark.parametrize(
    ("peer", "forwarded", "address"),
    [
        ("198.51.100.4", ("203.0.113.9",), "198.51.100.4"),  # not a proxy: its claim is ignored
        ("10.0.0.2", ("203.0.113.9",), "203.0.113.9"),
        ("10.0.0.2", ("6.6.6.6, 203.0.113.9, 10.0.0.3",), "203.0.113.9"),  # the client's own claim is ignored
        ("10.0.0.2", ("6.6.6.6", "203.0.113.9"), "203.0.113.9"),  # two headers read as one list
        ("10.0.0.2", (), "10.0.0.2"),
        ("10.0.0.2", ("not-an-address",), "10.0.0.2"),
        ("2001:db8:1:2:3:4:5:6", (), "2001:db8:1:2::/64"),  # IPv6 counts per /64
        ("::ffff:192.0.2.1", (), "192.0.2.1"),
    ],
)
def test_client_address_trusts_x_forwarded_for_only_from_trusted_proxies(
    peer: str, forwarded: tuple[str, ...], address: str
) -> None:
    assert client_address(scope(peer, *forwarded), PROXIES) == address
