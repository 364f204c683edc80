"""OAI-PMH 2.0 harvesting (the NLC's protocol).

Identify first (granularity, the partner's clock), then ListMetadataFormats: `marc21` MARCXML is
preferred when offered (UNIMARC/CNMARC or MARC 21, see `connectors.unimarc`), else `oai_dc`.
Then ListRecords from the cursor, resumption token by resumption token. A harvest starts at the
partner's own `responseDate` to Identify, so clock skew between hub and partner loses no change.

A response that is not an OAI-PMH document (not XML, another root, an OAI error, no ListRecords,
more records than a page may hold) fails the harvest. One record that cannot be normalised (no
header identifier, even on a deleted header; a bad datestamp; no metadata; a metadata format or
a MARC record that cannot be read) is rejected with its reason; the rest of the page is harvested.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from connectors.bounds import RecordProblem
from connectors.clip import clip, quote_long
from connectors.errors import ExpiredPageToken, FatalSourceError, LimitExceeded
from connectors.http import PartnerHttp, Response
from connectors.records import MAX_REJECTION_EXCERPT, CatalogueRecord, ImageRef, ItemKind, LocalizedText, Tombstone
from connectors.source import PageContent, PagedSource, ParsedPage, run_parser, utc_now
from connectors.unimarc import (
    MARC_NS,
    clean_text,
    combine_years,
    kind_from_terms,
    language_tag,
    looks_like_manifest,
    marc_record,
    unique_texts,
)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
DAY_GRANULARITY = "YYYY-MM-DD"
SECONDS_GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
PREFERRED_MARC_PREFIX = "marc21"
MAX_TOKEN_RESTARTS = 3
"""How often one harvest may restart from its cursor because the partner forgot a resumption token."""
MAX_OAI_ERROR_TEXT = 300
"""Characters of one OAI error message quoted in an error."""


def xml_parser() -> etree.XMLParser:
    """No DTDs, no entities, no network, no huge trees: a partner's XML is data, nothing more.

    A new parser for each document: lxml parsers must not be shared between threads.
    """
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


class OaiPmhSource(PagedSource):
    """A partner's OAI-PMH 2.0 repository at `base_url`.

    `metadata_prefix` forces a format (say "oai_dc"); by default `marc21` is used when listed.
    """

    protocol: ClassVar[str] = "oai-pmh"

    def __init__(
        self,
        partner: str,
        base_url: str,
        http: PartnerHttp,
        clock: Callable[[], datetime] = utc_now,
        *,
        metadata_prefix: str | None = None,
    ) -> None:
        super().__init__(partner, base_url, http, clock)
        self.requested_prefix = metadata_prefix
        self.metadata_prefix: str | None = None
        self.day_granularity = False
        self._local_clock = clock
        self._partner_now: datetime | None = None
        self._token_restarts = 0
        self.clock = self._harvest_clock

    def _harvest_clock(self) -> datetime:
        return self._partner_now or self._local_clock()

    async def prepare(self) -> None:
        self._token_restarts = 0
        identify = await self._verb({"verb": "Identify"})
        version = (identify.findtext(f"{_oai('Identify')}/{_oai('protocolVersion')}") or "2.0").strip()
        if version != "2.0":
            raise FatalSourceError(self.partner, self.base_url, f"OAI-PMH protocolVersion {version!r} is not 2.0")
        self.day_granularity = identify.findtext(f"{_oai('Identify')}/{_oai('granularity')}") == DAY_GRANULARITY
        self._partner_now = _response_date(identify)
        formats = await self._verb({"verb": "ListMetadataFormats"})
        self.metadata_prefix = self._choose_prefix(formats)

    def endpoint(self) -> str:
        return self.base_url

    def first_params(self, cursor: str | None) -> dict[str, str]:
        params = {"verb": "ListRecords", "metadataPrefix": self._prefix()}
        if cursor:
            params["from"] = cursor[:10] if self.day_granularity else cursor
        return params

    def next_params(self, cursor: str | None, token: str) -> dict[str, str]:
        return {"verb": "ListRecords", "resumptionToken": token}

    def format_cursor(self, moment: datetime) -> str:
        pattern = "%Y-%m-%d" if self.day_granularity else "%Y-%m-%dT%H:%M:%SZ"
        return moment.astimezone(UTC).strftime(pattern)

    def parse_page(self, response: Response) -> ParsedPage:
        root = self._document(response)
        errors = _oai_errors(root)
        codes = {code for code, _ in errors}
        if "noRecordsMatch" in codes:
            return ParsedPage([], None)
        if "badResumptionToken" in codes:
            self._token_restarts += 1
            problem = f"OAI error {_describe(errors)}"
            if self._token_restarts > MAX_TOKEN_RESTARTS:
                raise FatalSourceError(
                    self.partner, response.url, f"{problem} ({MAX_TOKEN_RESTARTS} restarts from the cursor)"
                )
            raise ExpiredPageToken(self.partner, response.url, problem)
        if errors:
            raise FatalSourceError(self.partner, response.url, f"OAI error {_describe(errors)}")
        listing = root.find(_oai("ListRecords"))
        if listing is None:
            raise FatalSourceError(self.partner, response.url, "OAI-PMH response holds no ListRecords element")
        elements = listing.findall(_oai("record"))
        if len(elements) > self.limits.max_records_per_page:
            raise LimitExceeded(
                self.partner,
                response.url,
                f"page is refused: {len(elements):,} records, more than {self.limits.max_records_per_page:,}",
            )
        content = PageContent(self.limits)
        for element in elements:
            content.add(header_identifier(element), _record, element, _excerpt)
        token = (listing.findtext(_oai("resumptionToken")) or "").strip() or None
        if token is not None:
            self.check_token(token, response.url, "resumptionToken")
            if token in parse_qs(urlsplit(response.url).query).get("resumptionToken", []):
                problem = f"resumptionToken {quote_long(token)} answered with itself"
                raise FatalSourceError(self.partner, response.url, problem)
        return ParsedPage(content.records, token, content.rejected)

    def _prefix(self) -> str:
        if self.metadata_prefix is None:
            raise RuntimeError("OaiPmhSource.prepare() has not run: no metadataPrefix chosen yet")
        return self.metadata_prefix

    async def _verb(self, params: dict[str, str]) -> etree._Element:
        response = await self.http.get(self.endpoint(), params)
        root = await run_parser(self.limits, len(response.body), lambda: self._document(response))
        errors = _oai_errors(root)
        if errors:
            raise FatalSourceError(self.partner, response.url, f"OAI error {_describe(errors)}")
        return root

    def _document(self, response: Response) -> etree._Element:
        try:
            root = etree.fromstring(response.body, xml_parser())
        except etree.XMLSyntaxError as exc:
            raise FatalSourceError(self.partner, response.url, f"malformed XML: {exc}") from exc
        if root.tag != _oai("OAI-PMH"):
            raise FatalSourceError(
                self.partner, response.url, f"not an OAI-PMH 2.0 response: root element {quote_long(str(root.tag))}"
            )
        return root

    def _choose_prefix(self, root: etree._Element) -> str:
        offered = {
            (fmt.findtext(_oai("metadataPrefix")) or "").strip(): (fmt.findtext(_oai("metadataNamespace")) or "")
            for fmt in root.iterfind(f"{_oai('ListMetadataFormats')}/{_oai('metadataFormat')}")
        }
        if self.requested_prefix:
            if self.requested_prefix not in offered:
                raise FatalSourceError(
                    self.partner,
                    self.base_url,
                    f"metadataPrefix {self.requested_prefix!r} is not offered; offered: {sorted(offered)}",
                )
            return self.requested_prefix
        marc = [prefix for prefix, namespace in offered.items() if namespace.strip() == MARC_NS]
        if PREFERRED_MARC_PREFIX in offered or marc:
            return PREFERRED_MARC_PREFIX if PREFERRED_MARC_PREFIX in offered else sorted(marc)[0]
        dublin_core = [prefix for prefix, namespace in offered.items() if namespace.strip() == OAI_DC_NS]
        if "oai_dc" in offered or dublin_core:
            return "oai_dc" if "oai_dc" in offered else dublin_core[0]
        raise FatalSourceError(
            self.partner, self.base_url, f"offers neither marc21 nor oai_dc; offered: {sorted(offered)}"
        )


def _oai_errors(root: etree._Element) -> list[tuple[str, str]]:
    return [
        (clip(err.get("code", "unknown"), 40), clip(clean_text(err), MAX_OAI_ERROR_TEXT))
        for err in root.iterfind(_oai("error"))
    ]


def _describe(errors: list[tuple[str, str]]) -> str:
    return "; ".join(f"{code}: {message}" if message else code for code, message in errors)


def _response_date(root: etree._Element) -> datetime | None:
    text = (root.findtext(_oai("responseDate")) or "").strip()
    try:
        return parse_datestamp(text)
    except ValueError:
        return None


def parse_datestamp(text: str) -> datetime:
    """An OAI datestamp (`YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`, leniently any ISO 8601) in UTC."""
    value = text.strip()
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def header_identifier(element: etree._Element) -> str | None:
    """The identifier in a record's header, or None when it has none."""
    identifier = (element.findtext(f"{_oai('header')}/{_oai('identifier')}") or "").strip()
    return identifier or None


def _excerpt(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")[: MAX_REJECTION_EXCERPT * 2]


def _record(element: etree._Element) -> CatalogueRecord | Tombstone:
    """One OAI record; RecordProblem names what makes it unusable."""
    try:
        return _read_record(element)
    except RecordProblem:
        raise
    except ValueError as exc:
        raise RecordProblem(str(exc)) from exc


def _read_record(element: etree._Element) -> CatalogueRecord | Tombstone:
    header = element.find(_oai("header"))
    identifier = header_identifier(element)
    if header is None or identifier is None:
        status = " (a deleted record)" if header is not None and header.get("status") == "deleted" else ""
        raise RecordProblem(f"OAI record without a header identifier{status}")
    stamp = header.findtext(_oai("datestamp")) or ""
    try:
        updated_at = parse_datestamp(stamp)
    except ValueError:
        raise RecordProblem(f"bad datestamp {quote_long(stamp)}") from None
    if header.get("status") == "deleted":
        return Tombstone(identifier, updated_at)
    metadata = element.find(_oai("metadata"))
    payload = next(iter(metadata), None) if metadata is not None else None
    if payload is None:
        raise RecordProblem("no metadata and not deleted")
    if payload.tag == f"{{{OAI_DC_NS}}}dc":
        return dc_record(identifier, updated_at, payload)
    if payload.tag in (f"{{{MARC_NS}}}record", f"{{{MARC_NS}}}collection"):
        return marc_record(identifier, updated_at, payload)
    raise RecordProblem(f"unsupported metadata element {quote_long(str(payload.tag))}")


def dc_record(source_id: str, updated_at: datetime, dc: etree._Element) -> CatalogueRecord:
    """Map an `oai_dc` record; `dc:type` names the kind, `dc:coverage` the period (or, typed
    `dcterms:ISO3166`, the origin country), `dc:format` the dimensions or material."""
    fields: dict[str, list[etree._Element]] = {}
    for child in dc:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{DC_NS}}}") and clean_text(child):
            fields.setdefault(child.tag.split("}", 1)[1], []).append(child)

    def texts(name: str) -> list[str]:
        return [clean_text(element) for element in fields.get(name, [])]

    def localized(name: str) -> tuple[LocalizedText, ...]:
        return unique_texts(
            LocalizedText(language_tag(element.get(XML_LANG)), clean_text(element)) for element in fields.get(name, [])
        )

    titles = localized("title")
    if not titles:
        raise ValueError("oai_dc record has no dc:title")
    types = texts("type")
    kind = kind_from_terms(types) or ItemKind.OTHER
    periods: list[str] = []
    country: str | None = None
    for element in fields.get("coverage", []):
        value = clean_text(element)
        typed = (element.get(XSI_TYPE) or "").endswith("ISO3166")
        alpha_2 = len(value) == 2 and value.isascii() and value.isalpha()
        if alpha_2 and (typed or value.isupper()):
            country = country or value
        elif not typed:
            periods.append(value)
    dimensions: str | None = None
    material: str | None = None
    for value in texts("format"):
        if _is_media_type(value):
            continue
        if _is_dimension(value):
            dimensions = dimensions or value
        else:
            material = material or value
    earliest, latest = combine_years(texts("date"))
    extra: dict[str, Any] = {}
    if languages := list(dict.fromkeys(language_tag(code) for code in texts("language"))):
        extra["languages"] = languages
    if publishers := texts("publisher"):
        extra["publisher"] = publishers[0]
    return CatalogueRecord(
        source_id=source_id,
        kind=kind,
        titles=titles,
        updated_at=updated_at,
        descriptions=localized("description"),
        creators=tuple(dict.fromkeys(texts("creator"))),
        period=periods[0] if periods else None,
        earliest_year=earliest,
        latest_year=latest,
        origin_country=(country or "CN").upper(),
        material=material,
        dimensions=dimensions,
        images=tuple(ImageRef(manifest_url=url) for url in texts("identifier") if looks_like_manifest(url)),
        extra=extra,
    )


def _is_media_type(value: str) -> bool:
    return " " not in value and value.count("/") == 1 and value.split("/")[0].isalpha()


def _is_dimension(value: str) -> bool:
    return _DIMENSION.search(value) is not None


_DIMENSION = re.compile(r"\d\s*(?:cm|mm|m)\b|\d\s*(?:厘米|公分|毫米)", re.IGNORECASE)
