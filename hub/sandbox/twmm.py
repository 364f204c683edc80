"""Sandbox of the Tang West Market Museum: IIIF Change Discovery 1.0 over Linked Art objects.

- `/activity/all-changes`: the OrderedCollection of every change, built from the store's change log
- `/activity/page/<n>`: OrderedCollectionPages of Create/Update/Delete activities, oldest first (n from 0)
- `/object/<id>`: the object as a Linked Art HumanMadeObject (410 Gone once deleted)
- `/iiif/<id>/manifest`: its IIIF Presentation 3 manifest

Every response is rendered from the store when asked, in time proportional to one page.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from aiohttp import web

from hub.sandbox.store import SampleObject, SampleStore, synthetic_objects
from hub.sandbox.twmm_records import TWMM_SAMPLE_OBJECTS

DISCOVERY_CONTEXT = "http://iiif.io/api/discovery/1/context.json"
LINKED_ART_CONTEXT = "https://linked.art/ns/v1/linked-art.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MANIFEST_FORMAT = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
SYNTHETIC_KINDS = ["COIN", "CERAMIC", "METALWORK", "EPITAPH", "TEXTILE", "JADE"]

LANGUAGES = {
    "en": ("300388277", "English"),
    "zh": ("300388113", "Chinese"),
    "fr": ("300388306", "French"),
    "ar": ("300387843", "Arabic"),
    "ru": ("300389168", "Russian"),
    "de": ("300388344", "German"),
    "es": ("300389311", "Spanish"),
    "ja": ("300388486", "Japanese"),
}
KIND_TERMS = {
    "COIN": ("300037222", "coins (money)"),
    "CERAMIC": (None, "ceramics"),
    "METALWORK": (None, "metalwork"),
    "SCULPTURE": ("300047090", "sculpture (visual works)"),
    "EPITAPH": (None, "epitaphs (tomb tablets)"),
    "TEXTILE": ("300014063", "textiles (visual works)"),
    "JADE": (None, "jades (carvings)"),
    "PAINTING": ("300033618", "paintings (visual works)"),
}
GRADE_LABELS = {
    "1": "grade 1 precious relic (一级文物)",
    "2": "grade 2 precious relic (二级文物)",
    "3": "grade 3 precious relic (三级文物)",
    "general": "general relic (一般文物)",
    "ungraded": "ungraded relic (未定级文物)",
}
DIMENSION_TYPES = {
    "H": ("300055644", "height"),
    "W": ("300055647", "width"),
    "L": ("300055645", "length"),
    "D": ("300055624", "diameter"),
    "Th": ("300055646", "thickness"),
}
UNITS = {
    "cm": ("300379098", "centimeters"),
    "mm": ("300379097", "millimeters"),
    "g": ("300379225", "grams"),
}
WEIGHT = ("300056240", "weight")
COUNTRIES = {"CN": "China", "IR": "Iran", "TR": "Türkiye", "PK": "Pakistan", "UZ": "Uzbekistan"}
TermMaker = Callable[..., dict[str, Any]]
DIMENSION = re.compile(r"^(?:(H|W|L|D|Th) )?(\d+(?:\.\d+)?) (cm|mm|g)$")


class TwmmSandbox:
    code = "TWMM"

    def __init__(self, synthetic: int = 0, page_size: int = 10) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self.page_size = page_size
        self.store = SampleStore()
        objects = copy.deepcopy(TWMM_SAMPLE_OBJECTS)
        if synthetic > 0:
            start = datetime(2022, 1, 1, tzinfo=UTC)
            objects += synthetic_objects("TWMM", synthetic, SYNTHETIC_KINDS, start)
        self.store.load(objects)

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/activity/all-changes", self._collection)
        app.router.add_get("/activity/page/{number}", self._page)
        app.router.add_get("/object/{object_id}", self._object)
        app.router.add_get("/iiif/{object_id}/manifest", self._manifest)
        return app

    def _last_page(self) -> int:
        return max(0, (len(self.store.changes) - 1) // self.page_size)

    async def _collection(self, request: web.Request) -> web.Response:
        base = _base(request)
        return web.json_response(
            {
                "@context": DISCOVERY_CONTEXT,
                "id": f"{base}/activity/all-changes",
                "type": "OrderedCollection",
                "totalItems": len(self.store.changes),
                "first": {"id": f"{base}/activity/page/0", "type": "OrderedCollectionPage"},
                "last": {"id": f"{base}/activity/page/{self._last_page()}", "type": "OrderedCollectionPage"},
            }
        )

    async def _page(self, request: web.Request) -> web.Response:
        base = _base(request)
        number = _page_number(request.match_info["number"])
        last = self._last_page()
        if number is None or number > last:
            raise web.HTTPNotFound(text=f"no activity page {request.match_info['number']!r}; last is {last}")
        start = number * self.page_size
        changes = self.store.changes[start : start + self.page_size]
        page: dict[str, Any] = {
            "@context": DISCOVERY_CONTEXT,
            "id": f"{base}/activity/page/{number}",
            "type": "OrderedCollectionPage",
            "partOf": {"id": f"{base}/activity/all-changes", "type": "OrderedCollection"},
            "startIndex": start,
        }
        if number > 0:
            page["prev"] = {"id": f"{base}/activity/page/{number - 1}", "type": "OrderedCollectionPage"}
        if number < last:
            page["next"] = {"id": f"{base}/activity/page/{number + 1}", "type": "OrderedCollectionPage"}
        page["orderedItems"] = [
            {
                "id": f"{base}/activity/{start + offset}",
                "type": verb,
                "object": {"id": object_uri(base, object_id), "type": "HumanMadeObject"},
                "endTime": iso_time(moment),
            }
            for offset, (object_id, verb, moment) in enumerate(changes)
        ]
        return web.json_response(page)

    async def _object(self, request: web.Request) -> web.Response:
        obj = self._live_object(request)
        return web.json_response(render_human_made_object(obj, _base(request)))

    async def _manifest(self, request: web.Request) -> web.Response:
        obj = self._live_object(request)
        if not obj.images:
            raise web.HTTPNotFound(text=f"object {obj.id!r} has no images")
        return web.json_response(render_manifest(obj, _base(request)))

    def _live_object(self, request: web.Request) -> SampleObject:
        object_id = request.match_info["object_id"]
        obj = self.store.get(object_id)
        if obj is None:
            raise web.HTTPNotFound(text=f"no object {object_id!r}")
        if obj.deleted:
            raise web.HTTPGone(text=f"object {object_id!r} was deleted at {iso_time(obj.updated_at)}")
        return obj


def render_human_made_object(obj: SampleObject, base: str) -> dict[str, Any]:
    """The object as Linked Art, writing AAT URIs as the object's `aat_spelling` hint says."""
    spelling = str(obj.extra.get("aat_spelling", "http"))

    def term(number: str, label: str, kind: str = "Type") -> dict[str, Any]:
        return {"id": aat_uri(number, spelling), "type": kind, "_label": label}

    def language(tag: str) -> list[dict[str, Any]]:
        return [term(*LANGUAGES[tag], kind="Language")] if tag in LANGUAGES else []

    names = [
        {"type": "Name", "content": text, "classified_as": [term("300404670", "primary name")] if tag else []}
        | ({"language": language(tag)} if tag else {})
        for tag, text in obj.titles.items()
    ]
    identifier = {"type": "Identifier", "content": obj.id, "classified_as": [term("300312355", "accession number")]}
    statements = [
        {
            "type": "LinguisticObject",
            "content": text,
            "language": language(tag),
            "classified_as": [term("300435416", "description")],
        }
        for tag, text in obj.descriptions.items()
    ]
    measured = _dimensions(obj.dimensions, term)
    if obj.dimensions and measured is None:
        statements.append(
            {"type": "LinguisticObject", "content": obj.dimensions, "classified_as": [term("300435430", "dimensions")]}
        )
    document: dict[str, Any] = {
        "@context": LINKED_ART_CONTEXT,
        "id": object_uri(base, obj.id),
        "type": "HumanMadeObject",
        "_label": obj.titles.get("en") or next(iter(obj.titles.values()), obj.id),
        "classified_as": _classifications(obj, base, term),
        "identified_by": [*names, identifier],
        "referred_to_by": statements,
        "produced_by": _production(obj, base),
        "made_of": [{"type": "Material", "_label": m.strip()} for m in (obj.material or "").split(",") if m.strip()],
        "dimension": measured or [],
        "current_owner": [{"type": "Group", "_label": "Tang West Market Museum"}],
    }
    if obj.images:
        manifest = f"{base}/iiif/{quote(obj.id)}/manifest"
        document["subject_of"] = [
            {
                "type": "LinguisticObject",
                "_label": f"IIIF manifest of {document['_label']}",
                "digitally_carried_by": [
                    {
                        "type": "DigitalObject",
                        "access_point": [{"id": manifest, "type": "DigitalObject"}],
                        "conforms_to": [{"id": "http://iiif.io/api/presentation/", "type": "InformationObject"}],
                        "format": MANIFEST_FORMAT,
                    }
                ],
            }
        ]
    return document


def _classifications(obj: SampleObject, base: str, term: TermMaker) -> list[dict[str, Any]]:
    hint = obj.extra.get("type_term")
    number, label = (None, str(hint)) if hint else KIND_TERMS.get(obj.kind, (None, "objects"))
    kind_term: dict[str, Any] = {"id": f"{base}/vocab/type/{_slug(label)}", "type": "Type"}
    if number:
        kind_term = term(number, label)
    kind_term["_label"] = label
    kind_term["classified_as"] = [term("300435443", "type of work")]
    terms = [term("300133025", "works of art"), kind_term]
    if obj.grade in GRADE_LABELS:
        grade_id = f"{base}/vocab/relic-grade/{obj.grade}"
        terms.append({"id": grade_id, "type": "Type", "_label": GRADE_LABELS[obj.grade]})
    return terms


def _production(obj: SampleObject, base: str) -> dict[str, Any]:
    production: dict[str, Any] = {"type": "Production"}
    if obj.year_from is not None and obj.year_to is not None:
        production["timespan"] = {
            "type": "TimeSpan",
            "identified_by": [{"type": "Name", "content": _display_years(obj.year_from, obj.year_to)}],
            "begin_of_the_begin": f"{iso_year(obj.year_from)}-01-01T00:00:00Z",
            "end_of_the_end": f"{iso_year(obj.year_to)}-12-31T23:59:59Z",
        }
    if obj.period:
        production["during"] = [
            {"id": f"{base}/vocab/period/{_slug(obj.period)}", "type": "Period", "_label": obj.period}
        ]
    if obj.creators:
        production["carried_out_by"] = [{"type": "Group", "_label": name} for name in obj.creators]
    production["took_place_at"] = [
        {
            "type": "Place",
            "_label": COUNTRIES.get(obj.origin_country, obj.origin_country),
            "identified_by": [{"type": "Identifier", "content": obj.origin_country}],
        }
    ]
    return production


def _dimensions(text: str | None, term: TermMaker) -> list[dict[str, Any]] | None:
    """Structured dimensions for strings like "H 54 cm, 4.1 g"; None when the text does not parse."""
    if not text:
        return None
    dimensions = []
    for part in text.split(","):
        match = DIMENSION.match(part.strip())
        if match is None:
            return None
        axis, value, unit = match.groups()
        dimension_type = DIMENSION_TYPES[axis] if axis else WEIGHT
        number = float(value)
        dimensions.append(
            {
                "type": "Dimension",
                "value": int(number) if number.is_integer() else number,
                "unit": term(*UNITS[unit], kind="MeasurementUnit"),
                "classified_as": [term(*dimension_type)],
            }
        )
    return dimensions


def render_manifest(obj: SampleObject, base: str) -> dict[str, Any]:
    """A IIIF Presentation 3 manifest with one canvas per image; untagged titles go under `none`."""
    prefix = f"{base}/iiif/{quote(obj.id)}"
    canvases = []
    for number, image in enumerate(obj.images, start=1):
        canvas_id = f"{prefix}/canvas/{number}"
        service = f"{base}/iiif/image/{quote(image.rsplit('.', 1)[0])}"
        body = {
            "id": f"{service}/full/max/0/default.jpg",
            "type": "Image",
            "format": "image/jpeg",
            "width": 3000,
            "height": 3000,
            "service": [{"id": service, "type": "ImageService3", "profile": "level1"}],
        }
        annotation = {
            "id": f"{prefix}/annotation/{number}",
            "type": "Annotation",
            "motivation": "painting",
            "body": body,
            "target": canvas_id,
        }
        page = {"id": f"{prefix}/page/{number}", "type": "AnnotationPage", "items": [annotation]}
        canvases.append({"id": canvas_id, "type": "Canvas", "width": 3000, "height": 3000, "items": [page]})
    label: dict[str, list[str]] = {}
    for tag, text in obj.titles.items():
        label.setdefault(tag or "none", []).append(text)
    manifest: dict[str, Any] = {
        "@context": PRESENTATION_CONTEXT,
        "id": f"{prefix}/manifest",
        "type": "Manifest",
        "label": label,
        "metadata": [{"label": {"en": ["Accession number"]}, "value": {"none": [obj.id]}}],
        "requiredStatement": {
            "label": {"en": ["Attribution"], "zh": ["版权"]},
            "value": {"en": ["Tang West Market Museum"], "zh": ["大唐西市博物馆"]},
        },
        "items": canvases,
    }
    if obj.descriptions:
        manifest["summary"] = {tag or "none": [text] for tag, text in obj.descriptions.items()}
    return manifest


def object_uri(base: str, object_id: str) -> str:
    return f"{base}/object/{quote(object_id)}"


def aat_uri(number: str, spelling: str) -> str:
    if spelling == "curie":
        return f"aat:{number}"
    scheme = "https" if spelling == "https" else "http"
    return f"{scheme}://vocab.getty.edu/aat/{number}"


def iso_year(year: int) -> str:
    """Historical year (-1 = 1 BCE) as an ISO 8601 astronomical year (0000 = 1 BCE)."""
    astronomical = year + 1 if year < 0 else year
    return f"-{-astronomical:04d}" if astronomical < 0 else f"{astronomical:04d}"


def iso_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _display_years(start: int, end: int) -> str:
    def year(value: int) -> str:
        return f"{-value} BCE" if value < 0 else str(value)

    return year(start) if start == end else f"{year(start)}–{year(end)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _page_number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _base(request: web.Request) -> str:
    return str(request.url.origin())
