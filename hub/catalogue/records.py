"""The record shape the catalogue stores, whether a connector harvested it or a partner pushed it.

It is defined with the connectors (which yield it and may import nothing from the hub); the graph and the
domain take it from here.
"""

from __future__ import annotations

from connectors.records import CatalogueRecord, ImageRef, LocalizedText, Tombstone

__all__ = ["CatalogueRecord", "ImageRef", "LocalizedText", "Tombstone"]
