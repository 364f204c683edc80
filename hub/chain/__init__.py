"""Anchoring the audit log on EVM chains: the registry contract, the embedded chain, the anchor queue and
verification; `anchoring` wires them to the hub's database (`anchor_store`, `models`).

The names below are loaded on first use: web3 and py-evm take a second to import, and only the process that
writes to or reads from a chain needs them (`hub.app` imports `hub.chain.anchoring`, which stays light).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.chain.anchor_queue import (
        AnchorOutcome,
        AnchorQueue,
        ChainAnchorer,
        MemoryPendingAnchors,
        PendingAnchor,
        PendingAnchors,
        anchor_pending,
    )
    from hub.chain.anchors import (
        Anchor,
        ChainWrite,
        Checkpoint,
        Deployment,
        ProvenanceAnchor,
        ProvenanceRecord,
        Subject,
    )
    from hub.chain.bounds import Backoff, ChainTimeouts
    from hub.chain.deployments import ChainDeployments, JsonFileDeployments, MemoryDeployments
    from hub.chain.embedded import EmbeddedChain, EmbeddedChainBusy, EmbeddedChainError
    from hub.chain.endpoints import ChainEndpoint, embedded_endpoint, open_endpoints, rpc_endpoint
    from hub.chain.errors import ChainError, ChainRejected, ChainUnavailable
    from hub.chain.names import EMBEDDED_NAME, chain_name
    from hub.chain.registry import AuditRegistry
    from hub.chain.verify import AnchorCheck, verify_anchor, verify_provenance

_MODULES = {
    "Anchor": "hub.chain.anchors",
    "AnchorCheck": "hub.chain.verify",
    "AnchorOutcome": "hub.chain.anchor_queue",
    "AnchorQueue": "hub.chain.anchor_queue",
    "AuditRegistry": "hub.chain.registry",
    "Backoff": "hub.chain.bounds",
    "ChainAnchorer": "hub.chain.anchor_queue",
    "ChainDeployments": "hub.chain.deployments",
    "ChainEndpoint": "hub.chain.endpoints",
    "ChainError": "hub.chain.errors",
    "ChainRejected": "hub.chain.errors",
    "ChainTimeouts": "hub.chain.bounds",
    "ChainUnavailable": "hub.chain.errors",
    "ChainWrite": "hub.chain.anchors",
    "Checkpoint": "hub.chain.anchors",
    "Deployment": "hub.chain.anchors",
    "EMBEDDED_NAME": "hub.chain.names",
    "EmbeddedChain": "hub.chain.embedded",
    "EmbeddedChainBusy": "hub.chain.embedded",
    "EmbeddedChainError": "hub.chain.embedded",
    "JsonFileDeployments": "hub.chain.deployments",
    "MemoryDeployments": "hub.chain.deployments",
    "MemoryPendingAnchors": "hub.chain.anchor_queue",
    "PendingAnchor": "hub.chain.anchor_queue",
    "PendingAnchors": "hub.chain.anchor_queue",
    "ProvenanceAnchor": "hub.chain.anchors",
    "ProvenanceRecord": "hub.chain.anchors",
    "Subject": "hub.chain.anchors",
    "anchor_pending": "hub.chain.anchor_queue",
    "chain_name": "hub.chain.names",
    "embedded_endpoint": "hub.chain.endpoints",
    "open_endpoints": "hub.chain.endpoints",
    "rpc_endpoint": "hub.chain.endpoints",
    "verify_anchor": "hub.chain.verify",
    "verify_provenance": "hub.chain.verify",
}

__all__ = [
    "EMBEDDED_NAME",
    "Anchor",
    "AnchorCheck",
    "AnchorOutcome",
    "AnchorQueue",
    "AuditRegistry",
    "Backoff",
    "ChainAnchorer",
    "ChainDeployments",
    "ChainEndpoint",
    "ChainError",
    "ChainRejected",
    "ChainTimeouts",
    "ChainUnavailable",
    "ChainWrite",
    "Checkpoint",
    "Deployment",
    "EmbeddedChain",
    "EmbeddedChainBusy",
    "EmbeddedChainError",
    "JsonFileDeployments",
    "MemoryDeployments",
    "MemoryPendingAnchors",
    "PendingAnchor",
    "PendingAnchors",
    "ProvenanceAnchor",
    "ProvenanceRecord",
    "Subject",
    "anchor_pending",
    "chain_name",
    "embedded_endpoint",
    "open_endpoints",
    "rpc_endpoint",
    "verify_anchor",
    "verify_provenance",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'hub.chain' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
