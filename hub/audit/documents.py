"""The bytes an audit entry's hash (and its Merkle leaf) covers, in each format the log has used.

Format 1 (entries written before revision 0010): the hub's first canonical JSON (`hub.core.canonical_json`: keys
sorted, no spaces, UTF-8) of {seq, at, actor, action, subject, jurisdictions, payload}.

Format 2 (every entry since): RFC 8785 (JSON Canonicalization Scheme), written with the `rfc8785` package, of
{action, actor, at, format: 2, jurisdictions, payload, seq, subject}. Reading a million entries through a
general canonicalizer is slow, so `fast_document_v2` spells the same bytes from the already canonical payload
text; `entry_bytes` falls back to the full canonicalizer whenever the fast spelling does not give the stored hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

import rfc8785

from hub.core.canonical_json import canonical_json

FORMAT_1 = 1
FORMAT_2 = 2
CURRENT_FORMAT = FORMAT_2
FORMATS = (FORMAT_1, FORMAT_2)

_string = encode_basestring
"""A JSON string as RFC 8785 spells it (the same escapes as ECMAScript's JSON.stringify), not ASCII-escaped."""


def chain_hash(prev_hash: str, document: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + document).hexdigest()


def canonical_payload(payload: Any, format: int = CURRENT_FORMAT) -> str:
    if format == FORMAT_1:
        return canonical_json(payload)
    return rfc8785.dumps(payload).decode()


def document_v1(
    seq: int, at: datetime, actor: str, action: str, subject: str, jurisdictions: Sequence[str], payload: str
) -> bytes:
    document = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "jurisdictions": sorted(jurisdictions),
        "payload": json.loads(payload),
    }
    return canonical_json(document).encode()


def document_v2(
    seq: int, at: datetime, actor: str, action: str, subject: str, jurisdictions: Sequence[str], payload: str
) -> bytes:
    """The RFC 8785 document, through the `rfc8785` package."""
    document = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "jurisdictions": sorted(jurisdictions),
        # JSON numbers are IEEE doubles in RFC 8785 (I-JSON): read them so, as the payload was written.
        "payload": json.loads(payload, parse_int=float),
        "format": FORMAT_2,
    }
    return rfc8785.dumps(document)


def fast_document_v2(
    seq: int, at: datetime, actor: str, action: str, subject: str, jurisdictions: Sequence[str], payload: str
) -> bytes:
    """The same bytes as `document_v2` for any entry the hub wrote (its payload text is already RFC 8785)."""
    return spell_v2(seq, at.isoformat(), actor, action, subject, places_json(jurisdictions), payload)


def places_json(jurisdictions: Sequence[str]) -> str:
    """The inside of the document's jurisdictions array."""
    return ",".join(_string(place) for place in sorted(jurisdictions))


def spell_v2(seq: int, at: str, actor: str, action: str, subject: str, places: str, payload: str) -> bytes:
    return (
        f'{{"action":{_string(action)},"actor":{_string(actor)},"at":"{at}","format":2,'
        f'"jurisdictions":[{places}],"payload":{payload},"seq":{seq},"subject":{_string(subject)}}}'
    ).encode()


def entry_document(
    format: int,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    jurisdictions: Sequence[str],
    payload: str,
) -> bytes:
    if format == FORMAT_1:
        return document_v1(seq, at, actor, action, subject, jurisdictions, payload)
    if format == FORMAT_2:
        return document_v2(seq, at, actor, action, subject, jurisdictions, payload)
    raise ValueError(f"entry {seq} has format {format}, the hub knows {FORMATS}")


def entry_bytes(
    format: int,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    jurisdictions: Sequence[str],
    payload: str,
    prev_hash: str,
    hash: str,
) -> bytes:
    """The entry's document: the bytes that give its stored hash after `prev_hash` when any spelling does, else
    the canonical spelling of what it holds now (which then does not match: the entry was changed)."""
    if format == FORMAT_2:
        fast = fast_document_v2(seq, at, actor, action, subject, jurisdictions, payload)
        if chain_hash(prev_hash, fast) == hash:
            return fast
    return entry_document(format, seq, at, actor, action, subject, jurisdictions, payload)
