"""The names of chains in logs, errors and the anchor queue: never a credential nor a URL's path."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

EMBEDDED_NAME = "embedded"


def chain_name(url: str) -> str:
    """`scheme://host:port`, plus a digest of the rest when there is more: paths and queries often hold API keys."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    name = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
    rest = parts.path.strip("/") + parts.query + (parts.username or "") + (parts.password or "")
    if rest:
        name += "#" + hashlib.sha256(url.encode()).hexdigest()[:8]
    return name
