"""Every domain's models, imported in one place: what alembic and `Base.metadata` see.

A new domain adds its `hub/<domain>/models.py` here (and a migration; a test checks they agree).
"""

from __future__ import annotations

from hub.audit.models import AuditChainHead, AuditEntry, AuditEntryJurisdiction
from hub.auth.models import OAuthClient, RevokedToken, SigningKey, UsedClientAssertion
from hub.catalogue.models import CatalogueItem, Institution, ItemImage
from hub.clearance.models import CustomsCheck, CustomsDeclaration, LicenceDecision
from hub.core.models import IdempotencyRecord
from hub.db import Base
from hub.harvest.models import SyncState
from hub.money.models import (
    EscrowHold,
    FxConversionRecord,
    FxRateRecord,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
)
from hub.trading.models import Listing, Offer, Transfer

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "AuditEntryJurisdiction",
    "Base",
    "CatalogueItem",
    "CustomsCheck",
    "CustomsDeclaration",
    "EscrowHold",
    "FxConversionRecord",
    "FxRateRecord",
    "IdempotencyRecord",
    "Institution",
    "ItemImage",
    "LedgerAccount",
    "LedgerPosting",
    "LedgerTransaction",
    "LicenceDecision",
    "Listing",
    "OAuthClient",
    "Offer",
    "RevokedToken",
    "SigningKey",
    "SyncState",
    "Transfer",
    "UsedClientAssertion",
]
