"""Anchoring the audit log on EVM chains: the registry contract, the embedded chain, the anchor queue and
verification. No GraphQL and no database here; the hub wires these to its audit log."""

from hub.chain.anchor_queue import (
    AnchorOutcome,
    AnchorQueue,
    Backoff,
    ChainAnchorer,
    MemoryPendingAnchors,
    PendingAnchor,
    PendingAnchors,
    anchor_pending,
)
from hub.chain.anchors import Anchor, ChainWrite, Checkpoint, Deployment, ProvenanceAnchor, ProvenanceRecord, Subject
from hub.chain.deployments import ChainDeployments, JsonFileDeployments, MemoryDeployments
from hub.chain.embedded import EmbeddedChain, EmbeddedChainBusy, EmbeddedChainError
from hub.chain.endpoints import (
    EMBEDDED_NAME,
    ChainEndpoint,
    ChainTimeouts,
    chain_name,
    embedded_endpoint,
    open_endpoints,
    rpc_endpoint,
)
from hub.chain.errors import ChainError, ChainRejected, ChainUnavailable
from hub.chain.registry import AuditRegistry
from hub.chain.verify import AnchorCheck, verify_anchor, verify_provenance

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
