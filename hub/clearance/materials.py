"""Free-text material ("silver with ivory inlay", "犀角") to the rule table's material vocabulary.

Terms are matched case-insensitively, longest first, and a matched span is used up: "hippopotamus ivory"
is hippopotamus ivory and not also elephant ivory, while a bare "ivory" counts as elephant ivory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

CACHE_SIZE = 4096


class MaterialVocabulary:
    def __init__(self, terms_by_id: Mapping[str, Sequence[str]]) -> None:
        pairs = [(term.casefold(), material_id) for material_id, terms in terms_by_id.items() for term in terms]
        self._terms = sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0]))
        self.ids = frozenset(terms_by_id)
        self._cache: OrderedDict[str, frozenset[str]] = OrderedDict()

    def normalise(self, material: str | None) -> frozenset[str] | None:
        """The vocabulary ids the text names; None when there is no text (the material is unknown)."""
        if material is None or not material.strip():
            return None
        cached = self._cache.get(material)
        if cached is not None:
            self._cache.move_to_end(material)
            return cached
        found = self._match(material.casefold())
        self._cache[material] = found
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def _match(self, text: str) -> frozenset[str]:
        found: set[str] = set()
        for term, material_id in self._terms:
            if term in text:
                found.add(material_id)
                text = text.replace(term, "\0")
        return frozenset(found)
