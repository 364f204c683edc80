"""The vocabulary connectors, the hub and the graph share: what an item is, how a relic is graded.

It lives here because connectors may import nothing from the hub; `hub.catalogue.vocabulary` re-exports it.
"""

from __future__ import annotations

import enum


class ItemKind(enum.Enum):
    """What an item is; the taxonomy spans library and museum holdings."""

    BOOK = "BOOK"
    RARE_BOOK = "RARE_BOOK"
    MANUSCRIPT = "MANUSCRIPT"
    RUBBING = "RUBBING"
    MAP = "MAP"
    COIN = "COIN"
    CERAMIC = "CERAMIC"
    METALWORK = "METALWORK"
    SCULPTURE = "SCULPTURE"
    EPITAPH = "EPITAPH"
    TEXTILE = "TEXTILE"
    JADE = "JADE"
    PAINTING = "PAINTING"
    OTHER = "OTHER"


class RelicGrade(enum.Enum):
    """Grades of the 2001 standard (Ministry of Culture order no. 19)."""

    GRADE_1 = "1"
    GRADE_2 = "2"
    GRADE_3 = "3"
    GENERAL = "general"
    UNGRADED = "ungraded"
