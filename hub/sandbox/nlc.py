"""The NLC sandbox: an OAI-PMH 2.0 repository over the sample store, at the base URL (GET or POST).

Verbs Identify, ListMetadataFormats, ListSets (no sets), GetRecord, ListIdentifiers and
ListRecords, in `oai_dc` and `marc21` (MARCXML slim records carrying CNMARC/UNIMARC tags), both
rendering the same facts. Lists bisect `store.ordered()`, so a page costs O(page) however large
the store. A resumption token names the last record sent: records changed during a harvest move
to its end instead of being skipped. `expire_tokens()` makes every outstanding token unknown.
`{base}/iiif/<id>/manifest` serves a minimal IIIF Presentation 3 manifest.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import secrets
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from lxml import etree
from multidict import MultiMapping

from hub.sandbox.nlc_records import ISO_639_2_TAGGED, NLC_RECORDS
from hub.sandbox.store import SampleObject, SampleStore, synthetic_objects

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MARC_NS = "http://www.loc.gov/MARC21/slim"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
    "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC_NS),
}
OAI_SCHEMA = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
IDENTIFIER_PREFIX = "oai:nlc.cn:"
SYNTHETIC_START = datetime(2023, 1, 1, tzinfo=UTC)
SYNTHETIC_KINDS = ["BOOK", "RARE_BOOK", "MANUSCRIPT", "RUBBING", "MAP"]
_DATESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?")
_LIST_ARGS = ({"metadataPrefix"}, {"from", "until", "set"})
VERB_ARGS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": _LIST_ARGS,
    "ListRecords": _LIST_ARGS,
}
Key = tuple[datetime, str]


class OaiError(Exception):
    """An OAI-PMH error condition, answered with HTTP 200 and an `<error code=...>` element."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListQuery:
    """One list request: its datestamp bounds (as given), and the last record already sent."""

    verb: str
    prefix: str
    since: str | None
    until: str | None
    after: Key | None = None


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key(obj: SampleObject) -> Key:
    return (obj.updated_at, obj.id)


class NlcSandbox:
    code = "NLC"

    def __init__(self, synthetic: int = 0, page_size: int = 10) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, not {page_size}")
        self.page_size = page_size
        self.store = SampleStore()
        self.store.load(copy.deepcopy(NLC_RECORDS))
        if synthetic > 0:
            self.store.load(synthetic_objects("nlc", synthetic, SYNTHETIC_KINDS, SYNTHETIC_START))
        self._token_epoch = secrets.token_hex(4)

    def expire_tokens(self) -> None:
        """Forget every resumption token issued so far: using one is answered with badResumptionToken."""
        self._token_epoch = secrets.token_hex(4)

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("GET", "/", self._oai)
        app.router.add_route("POST", "/", self._oai)
        app.router.add_get("/iiif/{id}/manifest", self._manifest)
        return app

    async def _oai(self, request: web.Request) -> web.Response:
        args: MultiMapping[Any] = request.query if request.method == "GET" else await request.post()
        base = str(request.url.with_query(None))
        root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})  # type: ignore[dict-item]
        root.set(f"{{{XSI_NS}}}schemaLocation", OAI_SCHEMA)
        etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = datestamp(datetime.now(UTC))
        echo = etree.SubElement(root, f"{{{OAI_NS}}}request")
        echo.text = base
        try:
            verb, params = _validated(args)
            for name, value in params.items():
                echo.set(name, value)
            root.append(self._answer(verb, params, str(request.url.origin())))
        except OaiError as error:
            if error.code in ("badVerb", "badArgument"):
                echo.attrib.clear()
            etree.SubElement(root, f"{{{OAI_NS}}}error", code=error.code).text = error.message
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return web.Response(body=body, content_type="text/xml", charset="utf-8")

    def _answer(self, verb: str, params: Mapping[str, str], base: str) -> etree._Element:
        if verb == "Identify":
            return self._identify(base)
        if verb == "ListMetadataFormats":
            if "identifier" in params:
                self._object(params["identifier"])
            return _metadata_formats()
        if verb == "ListSets":
            raise OaiError("noSetHierarchy", "this repository does not support sets")
        if verb == "GetRecord":
            prefix = _prefix(params["metadataPrefix"])
            answer = etree.Element(f"{{{OAI_NS}}}GetRecord")
            answer.append(self._record(self._object(params["identifier"]), prefix, base))
            return answer
        return self._list(self._list_query(verb, params), base)

    def _identify(self, base: str) -> etree._Element:
        ordered = self.store.ordered()
        earliest = ordered[0].updated_at if ordered else datetime(2000, 1, 1, tzinfo=UTC)
        answer = etree.Element(f"{{{OAI_NS}}}Identify")
        for name, text in [
            ("repositoryName", "National Library of China (Silk Road Hub sandbox)"),
            ("baseURL", f"{base}/"),
            ("protocolVersion", "2.0"),
            ("adminEmail", "oai-admin@sandbox.invalid"),
            ("earliestDatestamp", datestamp(earliest)),
            ("deletedRecord", "persistent"),
            ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
        ]:
            etree.SubElement(answer, f"{{{OAI_NS}}}{name}").text = text
        return answer

    def _object(self, identifier: str) -> SampleObject:
        obj = self.store.get(identifier.removeprefix(IDENTIFIER_PREFIX))
        if obj is None or not identifier.startswith(IDENTIFIER_PREFIX):
            raise OaiError("idDoesNotExist", f"no record with identifier {identifier!r}")
        return obj

    def _list_query(self, verb: str, params: Mapping[str, str]) -> ListQuery:
        if "resumptionToken" in params:
            return self._decode_token(verb, params["resumptionToken"])
        if "set" in params:
            raise OaiError("noSetHierarchy", "this repository does not support sets")
        query = ListQuery(verb, _prefix(params["metadataPrefix"]), params.get("from"), params.get("until"))
        since, until = _bounds(query)
        if since and until and len(query.since or "") != len(query.until or ""):
            raise OaiError("badArgument", f"from {query.since!r} and until {query.until!r} differ in granularity")
        return query

    def _list(self, query: ListQuery, base: str) -> etree._Element:
        ordered = self.store.ordered()
        since, until = _bounds(query)
        first = bisect_left(ordered, since, key=lambda o: o.updated_at) if since else 0
        end = bisect_left(ordered, until, key=lambda o: o.updated_at) if until else len(ordered)
        start = max(first, bisect_right(ordered, query.after, key=_key)) if query.after else first
        if start >= end:
            raise OaiError("noRecordsMatch", "no records match the given datestamps and metadataPrefix")
        stop = min(start + self.page_size, end)
        answer = etree.Element(f"{{{OAI_NS}}}{query.verb}")
        for obj in ordered[start:stop]:
            if query.verb == "ListIdentifiers":
                answer.append(_header(obj))
            else:
                answer.append(self._record(obj, query.prefix, base))
        if query.after is None and stop == end:
            return answer
        token = etree.SubElement(answer, f"{{{OAI_NS}}}resumptionToken")
        token.set("completeListSize", str(end - first))
        token.set("cursor", str(start - first))
        if stop < end:
            token.text = self._encode_token(query, _key(ordered[stop - 1]))
        return answer

    def _record(self, obj: SampleObject, prefix: str, base: str) -> etree._Element:
        record = etree.Element(f"{{{OAI_NS}}}record")
        record.append(_header(obj))
        if not obj.deleted:
            manifest = f"{base}/iiif/{obj.id}/manifest" if obj.images else None
            metadata = etree.SubElement(record, f"{{{OAI_NS}}}metadata")
            metadata.append(render_dc(obj, manifest) if prefix == "oai_dc" else render_marc(obj, manifest))
        return record

    def _encode_token(self, query: ListQuery, after: Key) -> str:
        state = [self._token_epoch, query.verb, query.prefix, query.since, query.until, after[0].isoformat(), after[1]]
        return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")

    def _decode_token(self, verb: str, token: str) -> ListQuery:
        try:
            padded = token + "=" * (-len(token) % 4)
            epoch, token_verb, prefix, since, until, moment, last_id = json.loads(
                base64.urlsafe_b64decode(padded.encode())
            )
            after = (datetime.fromisoformat(moment), str(last_id))
        except (ValueError, TypeError, binascii.Error):
            raise OaiError(
                "badResumptionToken", f"resumptionToken {token!r} is not one this repository issued"
            ) from None
        if epoch != self._token_epoch or token_verb != verb:
            raise OaiError("badResumptionToken", f"resumptionToken {token!r} has expired or is unknown")
        return ListQuery(verb, prefix, since, until, after)

    async def _manifest(self, request: web.Request) -> web.Response:
        obj = self.store.get(request.match_info["id"])
        if obj is None or obj.deleted or not obj.images:
            raise web.HTTPNotFound(text=f"no IIIF manifest for {request.match_info['id']!r}")
        return web.json_response(_manifest(obj, str(request.url.origin())))


def _validated(args: MultiMapping[Any]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked against the verb's required, optional and exclusive ones."""
    names = list(args.keys())
    verbs = [str(value) for name, value in args.items() if name == "verb"]
    if len(verbs) != 1 or verbs[0] not in VERB_ARGS:
        shown = verbs[0] if len(verbs) == 1 else (verbs or "missing")
        raise OaiError("badVerb", f"illegal, missing or repeated verb: {shown!r}")
    verb = verbs[0]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise OaiError("badArgument", f"repeated argument(s): {', '.join(repeated)}")
    params = {name: str(value) for name, value in args.items() if name != "verb"}
    required, optional = VERB_ARGS[verb]
    if "resumptionToken" in params and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if len(params) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, params
    unknown = sorted(set(params) - required - optional)
    if unknown:
        raise OaiError("badArgument", f"illegal argument(s) for {verb}: {', '.join(unknown)}")
    missing = sorted(required - set(params))
    if missing:
        raise OaiError("badArgument", f"missing required argument(s) for {verb}: {', '.join(missing)}")
    return verb, params


def _prefix(value: str) -> str:
    if value not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"metadataPrefix {value!r} is not supported")
    return value


def _bounds(query: ListQuery) -> tuple[datetime | None, datetime | None]:
    """`from` inclusive and `until` made exclusive (the end of its day or second)."""
    since = _moment("from", query.since)
    until = _moment("until", query.until)
    if until is not None and query.until is not None:
        until += timedelta(days=1) if len(query.until) == 10 else timedelta(seconds=1)
    return since, until


def _moment(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        if not _DATESTAMP.fullmatch(value):
            raise ValueError(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=UTC)
    except ValueError:
        raise OaiError(
            "badArgument", f"{name} {value!r} is not a UTC datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"
        ) from None


def _metadata_formats() -> etree._Element:
    answer = etree.Element(f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = etree.SubElement(answer, f"{{{OAI_NS}}}metadataFormat")
        for name, text in (("metadataPrefix", prefix), ("schema", schema), ("metadataNamespace", namespace)):
            etree.SubElement(fmt, f"{{{OAI_NS}}}{name}").text = text
    return answer


def _header(obj: SampleObject) -> etree._Element:
    header = etree.Element(f"{{{OAI_NS}}}header")
    if obj.deleted:
        header.set("status", "deleted")
    etree.SubElement(header, f"{{{OAI_NS}}}identifier").text = f"{IDENTIFIER_PREFIX}{obj.id}"
    etree.SubElement(header, f"{{{OAI_NS}}}datestamp").text = datestamp(obj.updated_at)
    return header


def _manifest(obj: SampleObject, origin: str) -> dict[str, Any]:
    base = f"{origin}/iiif/{obj.id}"
    canvases = []
    for number, label in enumerate(obj.images, start=1):
        canvas = f"{base}/canvas/{number}"
        image = {"id": f"{base}/image/{number}/full/max/0/default.jpg", "type": "Image", "format": "image/jpeg"}
        painting = {"type": "Annotation", "motivation": "painting", "body": image, "target": canvas}
        page = {"id": f"{canvas}/page", "type": "AnnotationPage", "items": [{"id": f"{canvas}/painting", **painting}]}
        canvases.append({"id": canvas, "type": "Canvas", "label": {"en": [label]}, "height": 2000, "width": 1600})
        canvases[-1]["items"] = [page]
    return {
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": f"{base}/manifest",
        "type": "Manifest",
        "label": {(lang or "none"): [text] for lang, text in obj.titles.items()},
        "items": canvases,
    }


# Rendering: the same facts in oai_dc and in MARCXML with CNMARC/UNIMARC tags.

BCP47_TO_ISO_639_2 = {
    "zh": "chi", "en": "eng", "fr": "fre", "ar": "ara", "ru": "rus", "fa": "per", "kk": "kaz",
    "tr": "tur", "ja": "jpn", "de": "ger", "": "und",
}  # fmt: skip
DC_TYPES = {
    "BOOK": [("", "Text"), ("en", "book"), ("zh", "图书")],
    "RARE_BOOK": [("", "Text"), ("en", "rare book"), ("zh", "善本")],
    "MANUSCRIPT": [("", "Text"), ("en", "manuscript"), ("zh", "写本")],
    "RUBBING": [("", "Image"), ("en", "rubbing"), ("zh", "拓片")],
    "MAP": [("", "Image"), ("en", "map"), ("zh", "地图")],
}
UNIMARC_FORMS = {  # leader/6 type of record, 608 form/genre heading
    "BOOK": ("a", None),
    "RARE_BOOK": ("a", "Rare books"),
    "MANUSCRIPT": ("b", "Manuscripts"),
    "RUBBING": ("k", "Rubbings"),
    "MAP": ("e", "Maps"),
}


def iso_639_2(tag: str) -> str:
    return BCP47_TO_ISO_639_2.get(tag.split("-")[0], tag)


def year_statement(obj: SampleObject, separator: str) -> str | None:
    years = [year for year in (obj.year_from, obj.year_to) if year is not None]
    shown = [f"{-year} BCE" if year < 0 else str(year) for year in dict.fromkeys(years)]
    return separator.join(shown) or None


def render_dc(obj: SampleObject, manifest: str | None) -> etree._Element:
    nsmap = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    dc = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=nsmap)
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    iso_tags = obj.id in ISO_639_2_TAGGED

    def add(name: str, text: str | None, lang: str = "") -> etree._Element | None:
        if not text:
            return None
        element = etree.SubElement(dc, f"{{{DC_NS}}}{name}")
        element.text = text
        if lang:
            element.set(XML_LANG, iso_639_2(lang) if iso_tags else lang)
        return element

    for lang, title in obj.titles.items():
        add("title", title, lang)
    for creator in obj.creators:
        add("creator", creator)
    for lang, text in DC_TYPES.get(obj.kind, [("", obj.kind.lower())]):
        add("type", text, lang)
    for lang, description in obj.descriptions.items():
        add("description", description, lang)
    add("publisher", obj.extra.get("publisher"))
    add("date", year_statement(obj, "/"))
    add("coverage", obj.period)
    if obj.origin_country != "CN" and (country := add("coverage", obj.origin_country)) is not None:
        country.set(f"{{{XSI_NS}}}type", "dcterms:ISO3166")
    add("format", obj.dimensions)
    add("format", obj.material)
    for code in obj.extra.get("languages", []):
        add("language", code)
    add("identifier", manifest)
    add("identifier", f"{IDENTIFIER_PREFIX}{obj.id}")
    return dc


def render_marc(obj: SampleObject, manifest: str | None) -> etree._Element:
    record = etree.Element(f"{{{MARC_NS}}}record", nsmap={"marc": MARC_NS})
    record_type, form = UNIMARC_FORMS.get(obj.kind, ("r", obj.kind.lower()))
    etree.SubElement(record, f"{{{MARC_NS}}}leader").text = f"00000n{record_type}m0 2200000   450 "
    for tag, text in (("001", obj.id), ("005", obj.updated_at.strftime("%Y%m%d%H%M%S.0"))):
        etree.SubElement(record, f"{{{MARC_NS}}}controlfield", tag=tag).text = text
    titles = list(obj.titles.items())
    description = next(iter(obj.descriptions.items()), None)
    cataloguing = iso_639_2(description[0]) if description else "chi"
    _datafield(record, "100", [("a", _coded_data(obj, cataloguing))])
    languages = obj.extra.get("languages", [])
    _datafield(record, "101", [("a", code) for code in languages] + [("g", iso_639_2(titles[0][0]))], "0")
    _datafield(record, "102", [("a", obj.origin_country)])
    title_field = [("a", titles[0][1])]
    if len(titles) > 1:
        title_field += [("d", titles[1][1])] + ([("z", iso_639_2(titles[1][0]))] if titles[1][0] else [])
    title_field += [("f", obj.creators[0])] if obj.creators else []
    title_field += [("g", creator) for creator in obj.creators[1:]]
    _datafield(record, "200", title_field, "1")
    publication = [("a", obj.extra.get("place")), ("c", obj.extra.get("publisher")), ("d", year_statement(obj, "-"))]
    _datafield(record, "210", publication)
    _datafield(record, "215", [("c", obj.material), ("d", obj.dimensions)])
    if description:
        _datafield(record, "330", [("a", description[1])])
    for lang, title in titles[2:]:
        _datafield(record, "541", [("a", title)] + ([("z", iso_639_2(lang))] if lang else []), "1")
    if obj.period:
        _datafield(record, "607", [("a", "China"), ("z", obj.period)])
    if form:
        _datafield(record, "608", [("a", form)])
    if manifest:
        _datafield(record, "856", [("u", manifest), ("q", "application/ld+json")], "4")
    return record


def _coded_data(obj: SampleObject, cataloguing: str) -> str:
    """UNIMARC 100 $a: date entered, publication date type and dates, cataloguing language, character set."""

    def year(value: int | None) -> str:
        return f"{value:04d}" if value is not None and value >= 0 else "    "

    date_type = "d" if obj.year_from == obj.year_to else "f"
    coded = f"{obj.updated_at:%Y%m%d}{date_type}{year(obj.year_from)}{year(obj.year_to)}   y0{cataloguing}y50      ea"
    assert len(coded) == 36, coded
    return coded


def _datafield(record: etree._Element, tag: str, subfields: list[tuple[str, Any]], ind1: str = " ") -> None:
    present = [(code, str(value)) for code, value in subfields if value]
    if not present:
        return
    field = etree.SubElement(record, f"{{{MARC_NS}}}datafield", tag=tag, ind1=ind1, ind2=" ")
    for code, value in present:
        etree.SubElement(field, f"{{{MARC_NS}}}subfield", code=code).text = value
