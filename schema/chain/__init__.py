"""Anchors on EVM chains in the graph: `ledgerAnchors`, and (with trading) provenance."""
