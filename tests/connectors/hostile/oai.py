"""An OAI-PMH 2.0 repository that a test can make hostile: its records are raw XML it controls."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from aiohttp import web

from tests.connectors.hostile.server import repeated, stream

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://purl.org/dc/elements/1.1/"
OAI_DC_FORMAT = "http://www.openarchives.org/OAI/2.0/oai_dc/"
MARC = "http://www.loc.gov/MARC21/slim"
NAMESPACES = {"oai_dc": OAI_DC_FORMAT, "marc21": MARC}


@dataclass
class OaiRecord:
    """One `<record>` as the repository sends it, and the datestamp `from` selects it by."""

    datestamp: str
    xml: str


def header(identifier: str | None, datestamp: str, deleted: bool = False) -> str:
    status = ' status="deleted"' if deleted else ""
    ident = f"<identifier>{identifier}</identifier>" if identifier is not None else ""
    return f"<header{status}>{ident}<datestamp>{datestamp}</datestamp></header>"


def dc_record(identifier: str, datestamp: str, title: str | None = "Silk Road atlas") -> OaiRecord:
    """An `oai_dc` record; `title=None` leaves out dc:title, which the hub cannot do without."""
    title_xml = f'<dc:title xml:lang="en">{title}</dc:title>' if title is not None else ""
    metadata = (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_FORMAT}" xmlns:dc="{OAI_DC}">{title_xml}'
        "<dc:type>Text</dc:type><dc:date>1936</dc:date></oai_dc:dc>"
    )
    return OaiRecord(datestamp, f"<record>{header(identifier, datestamp)}<metadata>{metadata}</metadata></record>")


def marc_record(identifier: str, datestamp: str, title: str | None = "长安志") -> OaiRecord:
    """A UNIMARC record in MARCXML; `title=None` leaves out field 200, the title."""
    field_200 = (
        f'<marc:datafield tag="200" ind1="1" ind2=" "><marc:subfield code="a">{title}</marc:subfield></marc:datafield>'
        if title is not None
        else ""
    )
    metadata = (
        f'<marc:record xmlns:marc="{MARC}"><marc:leader>00000nam0 2200000   450 </marc:leader>{field_200}'
        '<marc:datafield tag="210" ind1=" " ind2=" "><marc:subfield code="d">1936</marc:subfield></marc:datafield>'
        "</marc:record>"
    )
    return OaiRecord(datestamp, f"<record>{header(identifier, datestamp)}<metadata>{metadata}</metadata></record>")


def deleted_record(identifier: str | None, datestamp: str) -> OaiRecord:
    """A persistent delete; `identifier=None` is the header some repositories publish without one."""
    return OaiRecord(datestamp, f"<record>{header(identifier, datestamp, deleted=True)}</record>")


class OaiRepository:
    """Serves `records` (those with a datestamp from `from` on) `page_size` a ListRecords page.

    `now` is its clock (Identify's responseDate). `endless`: after the records, pages of generated
    records follow forever. `token_chars`: the first page's resumptionToken is that long (streamed).
    """

    def __init__(
        self,
        records: list[OaiRecord] | None = None,
        prefix: str = "oai_dc",
        page_size: int = 10,
        *,
        now: str = "2025-05-01T12:00:00Z",
        endless: bool = False,
        token_chars: int = 0,
    ) -> None:
        self.records = list(records or [])
        self.prefix = prefix
        self.page_size = page_size
        self.now = now
        self.endless = endless
        self.token_chars = token_chars
        self.list_requests: list[dict[str, str]] = []

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        params = dict(request.query)
        verb = params.get("verb")
        if verb == "Identify":
            return self._answer(
                "<Identify><repositoryName>Hostile</repositoryName><baseURL>http://repository.test/</baseURL>"
                "<protocolVersion>2.0</protocolVersion><adminEmail>a@b.invalid</adminEmail>"
                "<earliestDatestamp>2000-01-01</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
                "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
            )
        if verb == "ListMetadataFormats":
            return self._answer(
                f"<ListMetadataFormats><metadataFormat><metadataPrefix>{self.prefix}</metadataPrefix>"
                f"<schema>http://schema.test/{self.prefix}.xsd</schema>"
                f"<metadataNamespace>{NAMESPACES[self.prefix]}</metadataNamespace></metadataFormat></ListMetadataFormats>"
            )
        self.list_requests.append(params)
        token = params.get("resumptionToken")
        offset, since = (int(token.split(":")[0]), token.split(":", 1)[1]) if token else (0, params.get("from", ""))
        changed = sorted((r for r in self.records if r.datestamp >= since), key=lambda r: r.datestamp)
        page = [r.xml for r in changed[offset : offset + self.page_size]]
        more = offset + self.page_size < len(changed)
        if self.endless and not more:
            page += [dc_record(f"oai:gen:{offset + n}", self.now).xml for n in range(self.page_size - len(page))]
            more = True
        if not page:
            return self._answer('<error code="noRecordsMatch">no records</error>')
        if self.token_chars and offset == 0:
            head = (_open_document(self.now) + "<ListRecords>" + "".join(page) + "<resumptionToken>").encode()
            tail = ("</resumptionToken></ListRecords>" + _CLOSE_DOCUMENT).encode()
            return await stream(request, itertools.chain([head], repeated(b"T", self.token_chars), [tail]), "text/xml")
        next_token = f"{offset + self.page_size}:{since}" if more else ""
        return self._answer(
            f"<ListRecords>{''.join(page)}<resumptionToken>{next_token}</resumptionToken></ListRecords>"
        )

    def _answer(self, body: str) -> web.Response:
        return web.Response(body=(_open_document(self.now) + body + _CLOSE_DOCUMENT).encode(), content_type="text/xml")


def _open_document(now: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="{OAI}"><responseDate>{now}</responseDate>'
        "<request>http://repository.test/</request>"
    )


_CLOSE_DOCUMENT = "</OAI-PMH>"
