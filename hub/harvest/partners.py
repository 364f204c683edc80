"""The partner registry: which connector speaks which partner protocol."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connectors load when a harvest starts, not when the command line is parsed
    from connectors.http import PartnerHttp
    from connectors.source import Source

PROTOCOLS = {
    "oai-pmh": "connectors.oai_pmh:OaiPmhSource",
    "relics-json": "connectors.relics_api:RelicsApiSource",
    "iiif-discovery": "connectors.iiif_discovery:IiifDiscoverySource",
}


class UnknownProtocolError(ValueError):
    pass


def source_for(protocol: str, partner: str, base_url: str, http: PartnerHttp) -> Source:
    """The connector for `protocol`, reading `partner` at `base_url`."""
    try:
        module_name, class_name = PROTOCOLS[protocol].split(":")
    except KeyError:
        raise UnknownProtocolError(
            f"unknown connector protocol {protocol!r} for partner {partner}; known: {', '.join(PROTOCOLS)}"
        ) from None
    source_class: type[Source] = getattr(importlib.import_module(module_name), class_name)
    return source_class(partner, base_url, http)
