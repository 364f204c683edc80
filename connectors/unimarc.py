"""Library cataloguing for the OAI-PMH connector: MARCXML records (UNIMARC/CNMARC or MARC 21) mapped to
catalogue records, and the code lists both OAI metadata formats share (ISO 639-2 languages, date
statements, genre terms)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from connectors.records import CatalogueRecord, ImageRef, ItemKind, LocalizedText

MARC_NS = "http://www.loc.gov/MARC21/slim"

# ISO 639-2 (bibliographic and terminology codes) to the shortest BCP 47 tag; other three-letter
# codes have no two-letter equivalent and are already valid BCP 47 (e.g. "sog", "syr").
ISO_639_2_TO_BCP47 = {
    "chi": "zh", "zho": "zh", "eng": "en", "fre": "fr", "fra": "fr", "ara": "ar", "rus": "ru",
    "per": "fa", "fas": "fa", "kaz": "kk", "tur": "tr", "jpn": "ja", "ger": "de", "deu": "de",
    "spa": "es", "ita": "it", "por": "pt", "kor": "ko", "mon": "mn", "uig": "ug", "tib": "bo",
    "bod": "bo", "uzb": "uz", "kir": "ky", "tgk": "tg", "tuk": "tk", "aze": "az", "urd": "ur",
    "hin": "hi", "san": "sa", "pus": "ps", "arm": "hy", "hye": "hy", "geo": "ka", "kat": "ka",
    "gre": "el", "ell": "el", "lat": "la", "heb": "he", "dut": "nl", "nld": "nl", "cze": "cs",
    "ces": "cs", "pol": "pl", "ukr": "uk", "vie": "vi", "tha": "th", "may": "ms", "msa": "ms",
    "ind": "id", "alb": "sq", "sqi": "sq", "baq": "eu", "eus": "eu", "bur": "my", "mya": "my",
    "ice": "is", "isl": "is", "mac": "mk", "mkd": "mk", "mao": "mi", "mri": "mi", "rum": "ro",
    "ron": "ro", "slo": "sk", "slk": "sk", "wel": "cy", "cym": "cy", "swe": "sv", "hun": "hu",
}  # fmt: skip
UNDETERMINED = {"", "und", "none", "zxx", "unknown"}


def language_tag(code: str | None) -> str:
    """A BCP 47 tag for an ISO 639-2 code or a (loosely written) BCP 47 tag; "und" when there is none."""
    raw = (code or "").strip().replace("_", "-")
    if raw.lower() in UNDETERMINED:
        return "und"
    subtags = raw.split("-")
    out = [ISO_639_2_TO_BCP47.get(subtags[0].lower(), subtags[0].lower())]
    for subtag in subtags[1:]:
        if len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())
        elif len(subtag) == 2 and subtag.isalpha():
            out.append(subtag.upper())
        else:
            out.append(subtag.lower())
    return "-".join(out)


_ISO_DATE = re.compile(r"(-?\d{4})-(\d{2})(?:-\d{2})?(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_YEAR = re.compile(
    r"(?P<pre>前)?(?P<minus>(?<![^\s/(\[])-)?(?P<digits>\d{1,4})"
    r"(?P<unknown>[ux]{1,3}|-{1,2}(?![\d]))?(?!\d)"
    r"\s*(?P<era>BCE\b|B\.C\.E\.|BC\b|B\.C\.|CE\b|C\.E\.|AD\b|A\.D\.)?",
    re.IGNORECASE,
)


def parse_years(text: str) -> tuple[int | None, int | None]:
    """Earliest and latest year of a date statement: "735", "1936", "[1936]", "2021-03-15",
    "1644-1911", "1912/1949", "206 BCE-9 CE", "前206", "18--", "c. 735", "开元二十三年 (735)"."""
    value = text.strip()
    iso = _ISO_DATE.fullmatch(value)
    if iso and 1 <= int(iso[2]) <= 12:
        year = int(iso[1])
        return year, year
    spans: list[tuple[int, int, bool]] = []
    for match in _YEAR.finditer(value):
        digits, unknown = match["digits"], match["unknown"] or ""
        explicit = bool(match["pre"] or match["minus"] or match["era"])
        negative = bool(match["pre"] or match["minus"]) or (match["era"] or "").upper().startswith("B")
        if unknown and len(digits) + len(unknown) == 4:
            width = 10 ** len(unknown)
            low, high = int(digits) * width, int(digits) * width + width - 1
            spans.append((low, high, True))
            continue
        year = -int(digits) if negative else int(digits)
        spans.append((year, year, explicit or len(digits) >= 3))
    significant = [(low, high) for low, high, strong in spans if strong] or [(lo, hi) for lo, hi, _ in spans]
    if not significant:
        return None, None
    return min(low for low, _ in significant), max(high for _, high in significant)


def combine_years(statements: Iterable[str]) -> tuple[int | None, int | None]:
    earliest: int | None = None
    latest: int | None = None
    for statement in statements:
        low, high = parse_years(statement)
        if low is not None:
            earliest = low if earliest is None else min(earliest, low)
        if high is not None:
            latest = high if latest is None else max(latest, high)
    return earliest, latest


# Genre and type terms, most specific kind first: a "rare book" is not just a book.
_KIND_TERMS: list[tuple[ItemKind, re.Pattern[str]]] = [
    (ItemKind.RUBBING, re.compile(r"\brubbings?\b|\bestampages?\b|拓片|拓本", re.IGNORECASE)),
    (ItemKind.MAP, re.compile(r"\bmaps?\b|\bcartographic|\batlas|地图|地圖|輿圖|舆图", re.IGNORECASE)),
    (ItemKind.RARE_BOOK, re.compile(r"\brare books?\b|\bantiquarian\b|善本|古籍", re.IGNORECASE)),
    (ItemKind.MANUSCRIPT, re.compile(r"\bmanuscripts?\b|稿本|抄本|寫本|写本|手稿", re.IGNORECASE)),
    (ItemKind.EPITAPH, re.compile(r"\bepitaphs?\b|墓志|墓誌", re.IGNORECASE)),
    (ItemKind.PAINTING, re.compile(r"\bpaintings?\b|绘画|繪畫", re.IGNORECASE)),
    (ItemKind.BOOK, re.compile(r"\bbooks?\b|\btext\b|\bmonographs?\b|图书|圖書|专著|專著", re.IGNORECASE)),
]


def kind_from_terms(terms: Iterable[str]) -> ItemKind | None:
    """The most specific kind any of the type or genre terms names, or None."""
    listed = [term for term in terms if term.strip()]
    for kind, pattern in _KIND_TERMS:
        if any(pattern.search(term) for term in listed):
            return kind
    return None


def looks_like_manifest(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://")) and (
        "iiif" in lowered or lowered.endswith(("/manifest", "/manifest.json"))
    )


def clean_text(element: etree._Element) -> str:
    """The element's text with runs of whitespace collapsed."""
    return " ".join("".join(str(text) for text in element.itertext()).split())


def unique_texts(texts: Iterable[LocalizedText]) -> tuple[LocalizedText, ...]:
    return tuple(dict.fromkeys(text for text in texts if text.value))


@dataclass(frozen=True)
class DataField:
    tag: str
    ind1: str
    ind2: str
    subfields: tuple[tuple[str, str], ...]
    """(code, text) pairs in order, runs of whitespace collapsed."""
    raw_subfields: tuple[tuple[str, str], ...] = ()
    """The same pairs as given: coded data (UNIMARC 100 $a) is positional, its spaces count."""

    def values(self, code: str) -> list[str]:
        return [value for sub, value in self.subfields if sub == code]

    def first(self, code: str) -> str | None:
        return next((value for sub, value in self.subfields if sub == code), None)

    def raw(self, code: str) -> str:
        return next((value for sub, value in self.raw_subfields if sub == code), "")


@dataclass(frozen=True)
class MarcRecord:
    leader: str
    control: dict[str, str]
    fields: dict[str, list[DataField]]
    """Data fields by tag, each tag's fields in record order."""

    def datafields(self, *tags: str) -> list[DataField]:
        return [field for tag in tags for field in self.fields.get(tag, ())]

    def values(self, tags: str | tuple[str, ...], code: str) -> list[str]:
        wanted = (tags,) if isinstance(tags, str) else tags
        return [value for field in self.datafields(*wanted) for value in field.values(code)]

    def first(self, tags: str | tuple[str, ...], code: str) -> str | None:
        return next(iter(self.values(tags, code)), None)


LEADER = f"{{{MARC_NS}}}leader"
CONTROLFIELD = f"{{{MARC_NS}}}controlfield"
DATAFIELD = f"{{{MARC_NS}}}datafield"
SUBFIELD = f"{{{MARC_NS}}}subfield"


def read_marcxml(element: etree._Element) -> MarcRecord:
    """A MARCXML slim `record` (or a `collection` holding one) as tags and subfields."""
    if element.tag == f"{{{MARC_NS}}}collection":
        found = element.find(f"{{{MARC_NS}}}record")
        if found is None:
            raise ValueError("MARCXML collection holds no record")
        element = found
    leader = element.findtext(LEADER) or ""
    control = {field.get("tag", ""): field.text or "" for field in element.iterchildren(CONTROLFIELD)}
    fields: dict[str, list[DataField]] = {}
    for field in element.iterchildren(DATAFIELD):
        raw = tuple(
            # `sub.text` is the whole text unless the subfield holds markup (rare): then join all of it.
            (sub.get("code", ""), "".join(str(text) for text in sub.itertext()) if len(sub) else (sub.text or ""))
            for sub in field.iterchildren(SUBFIELD)
        )
        subfields = tuple((code, " ".join(text.split())) for code, text in raw)
        tag = field.get("tag", "")
        fields.setdefault(tag, []).append(
            DataField(tag, field.get("ind1", " "), field.get("ind2", " "), subfields, raw)
        )
    return MarcRecord(leader, control, fields)


def marc_record(source_id: str, updated_at: datetime, element: etree._Element) -> CatalogueRecord:
    """Map a MARCXML record: UNIMARC/CNMARC when it has a 200 title field, MARC 21 when it has a 245."""
    record = read_marcxml(element)
    if record.datafields("200"):
        return _unimarc(source_id, updated_at, record)
    if record.datafields("245"):
        return _marc21(source_id, updated_at, record)
    raise ValueError("MARCXML record has neither a UNIMARC 200 nor a MARC 21 245 title field")


def _manifests(record: MarcRecord) -> tuple[ImageRef, ...]:
    return tuple(
        ImageRef(manifest_url=url, label=field.first("y") or field.first("z"))
        for field in record.datafields("856")
        for url in field.values("u")
        if looks_like_manifest(url)
    )


def _extra(languages: list[str], publisher: str | None, place: str | None) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if languages:
        extra["languages"] = list(dict.fromkeys(languages))
    if publisher:
        extra["publisher"] = publisher
    if place:
        extra["place_of_publication"] = place
    return extra


def _coded_years(date1: str, date2: str) -> tuple[int | None, int | None]:
    years = [int(d) for d in (date1, date2) if d.strip().isdigit()]
    return (min(years), max(years)) if years else (None, None)


_UNIMARC_LEADER_KINDS = {"a": ItemKind.BOOK, "b": ItemKind.MANUSCRIPT, "e": ItemKind.MAP, "f": ItemKind.MAP}


def _unimarc(source_id: str, updated_at: datetime, record: MarcRecord) -> CatalogueRecord:
    coded = next((field.raw("a") for field in record.datafields("100")), "").ljust(36)
    cataloguing_lang = language_tag(coded[22:25])
    text_langs = [language_tag(code) for code in record.values("101", "a")]
    title_code = record.first("101", "g")
    title_lang = language_tag(title_code) if title_code else (text_langs[0] if text_langs else "und")

    titles: list[LocalizedText] = []
    for field in record.datafields("200"):
        parallel: list[list[str]] = []  # [title, lang] pairs, a $z naming the language of the last $d
        for code, value in field.subfields:
            if code == "a":
                titles.append(LocalizedText(title_lang, value))
            elif code == "e" and titles:
                titles[-1] = LocalizedText(titles[-1].lang, f"{titles[-1].value} : {value}")
            elif code == "d":
                parallel.append([value, "und"])
            elif code == "z" and parallel:
                parallel[-1][1] = language_tag(value)
        titles.extend(LocalizedText(lang, value) for value, lang in parallel)
    for field in record.datafields("510", "517", "541"):
        lang = language_tag(field.first("z"))
        titles.extend(LocalizedText(lang, value) for value in field.values("a"))

    creators = record.values("200", "f") + record.values("200", "g")
    if not creators:
        creators = [
            ", ".join(part for part in (field.first("a"), field.first("b")) if part)
            for field in record.datafields("700", "701", "702", "710", "711", "712")
        ]
    earliest, latest = combine_years(record.values(("210", "214"), "d"))
    if earliest is None:
        earliest, latest = _coded_years(coded[9:13], coded[13:17])
    terms = record.values("608", "a") + record.values("606", "x")
    kind = kind_from_terms(terms)
    if kind is None:
        kind = ItemKind.RUBBING if record.datafields("191") else None
    if kind is None:
        kind = _UNIMARC_LEADER_KINDS.get(record.leader[6:7], ItemKind.OTHER)
    return CatalogueRecord(
        source_id=source_id,
        kind=kind,
        titles=unique_texts(titles),
        updated_at=updated_at,
        descriptions=unique_texts(LocalizedText(cataloguing_lang, v) for v in record.values("330", "a")),
        creators=tuple(dict.fromkeys(c for c in creators if c)),
        period=record.first(("607", "606"), "z"),
        earliest_year=earliest,
        latest_year=latest,
        origin_country=(record.first("102", "a") or "CN").upper(),
        material=record.first("215", "c"),
        dimensions=record.first("215", "d"),
        images=_manifests(record),
        extra=_extra(text_langs, record.first(("210", "214"), "c"), record.first(("210", "214"), "a")),
    )


_MARC21_LEADER_KINDS = {"a": ItemKind.BOOK, "t": ItemKind.MANUSCRIPT, "e": ItemKind.MAP, "f": ItemKind.MAP}
_ISBD_TAIL = re.compile(r"\s*[/:;=,.]\s*$")


def _strip_isbd(value: str) -> str:
    """A MARC 21 value without its trailing ISBD punctuation; a full stop after an initial stays."""
    if re.search(r"\b[A-Z]\.$", value):
        return value
    return _ISBD_TAIL.sub("", value)


def _title_245(field: DataField) -> str:
    parts = [_strip_isbd(value) for code, value in field.subfields if code in "abnp"]
    return " : ".join(part for part in parts if part)


def _marc21(source_id: str, updated_at: datetime, record: MarcRecord) -> CatalogueRecord:
    fixed = record.control.get("008", "").ljust(40)
    text_langs = [language_tag(code) for code in record.values("041", "a")]
    if not text_langs and fixed[35:38].strip():
        text_langs = [language_tag(fixed[35:38])]
    lang = text_langs[0] if text_langs else "und"
    vernacular = [field for field in record.datafields("880") if (field.first("6") or "").startswith("245")]
    titles = [LocalizedText(lang, _title_245(field)) for field in vernacular]
    romanised = lang if not vernacular or lang == "und" else f"{lang}-Latn"
    titles += [LocalizedText(romanised, _title_245(field)) for field in record.datafields("245")]
    for field in record.datafields("242"):
        titles.append(LocalizedText(language_tag(field.first("y")), _title_245(field)))
    titles += [LocalizedText("und", _strip_isbd(v)) for v in record.values("246", "a")]

    creators = [_strip_isbd(v) for v in record.values(("100", "110", "111", "700", "710", "711"), "a")]
    if not creators:
        creators = [_strip_isbd(v) for v in record.values("245", "c")]
    earliest, latest = combine_years(record.values(("264", "260"), "c"))
    if earliest is None:
        earliest, latest = _coded_years(fixed[7:11], fixed[11:15])
    kind = kind_from_terms(record.values(("655", "650"), "a"))
    if kind is None:
        kind = _MARC21_LEADER_KINDS.get(record.leader[6:7], ItemKind.OTHER)
    cataloguing_lang = language_tag(record.first("040", "b"))
    publisher = record.first(("264", "260"), "b")
    place = record.first(("264", "260"), "a")
    return CatalogueRecord(
        source_id=source_id,
        kind=kind,
        titles=unique_texts(titles),
        updated_at=updated_at,
        descriptions=unique_texts(LocalizedText(cataloguing_lang, v) for v in record.values("520", "a")),
        creators=tuple(dict.fromkeys(c for c in creators if c)),
        period=(_strip_isbd(v) if (v := record.first(("650", "651", "655"), "y")) else None),
        earliest_year=earliest,
        latest_year=latest,
        origin_country=(record.first("044", "c") or "CN").upper(),
        material=record.first("340", "a"),
        dimensions=(_strip_isbd(v) if (v := record.first("300", "c")) else None),
        images=_manifests(record),
        extra=_extra(
            text_langs,
            _strip_isbd(publisher) if publisher else None,
            _strip_isbd(place) if place else None,
        ),
    )
