"""Money in the graph: `Money { amount currency formatted(locale) }`, `MoneyInput`, `FxRate`, `EscrowBalance`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from babel import Locale, UnknownLocaleError

from hub.money.escrow import EscrowTotals
from hub.money.fx import FxRate as DomainFxRate
from hub.money.money import Money as DomainMoney
from schema.core.context import Info
from schema.money.errors import query_errors, refusing

DEFAULT_LOCALE = "en"


def reader_locale(accept_languages: list[str]) -> str:
    """The first Accept-Language tag babel knows, else English."""
    for tag in accept_languages:
        try:
            Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        return tag
    return DEFAULT_LOCALE


@strawberry.type(description="An amount in one currency: a decimal string at the currency's minor units.")
class Money:
    value: strawberry.Private[DomainMoney]
    amount: Decimal = strawberry.field(description="Exactly the currency's minor units ('88000.00', '5000', '1.250').")
    currency: str = strawberry.field(description="ISO 4217 code.")

    @classmethod
    def of(cls, money: DomainMoney) -> Money:
        return cls(value=money, amount=money.amount, currency=money.currency)

    @strawberry.field(description="As a reader of `locale` (BCP 47) writes it; default: the Accept-Language.")
    def formatted(self, info: Info, locale: str | None = None) -> str:
        with query_errors(info.context.accept_languages):
            return self.value.formatted(locale or reader_locale(info.context.accept_languages))


@strawberry.input(description="An amount as a decimal (string or number) and an ISO 4217 currency.")
class MoneyInput:
    amount: Decimal
    currency: str

    def parsed(self, field: str) -> DomainMoney:
        """The Money this input names; refused (a payload error on `field.amount` or `field.currency`, its message
        in the caller's language) when the currency is unsupported, the amount negative, over-precise for the
        currency or too large."""
        with refusing():
            return DomainMoney.parse(self.amount, self.currency, field=field)


@strawberry.type(description="1 `base` = `rate` `quote`, valid from `validFrom` until a later rate of the pair.")
class FxRate:
    base: str
    quote: str
    rate: Decimal
    valid_from: datetime
    source: str = strawberry.field(description="Where the rate comes from ('ECB', 'operator', ...).")

    @classmethod
    def of(cls, rate: DomainFxRate) -> FxRate:
        return cls(base=rate.base, quote=rate.quote, rate=rate.rate, valid_from=rate.valid_from, source=rate.source)


@strawberry.type(
    description="An institution's escrow in one currency. As buyer: `held` now, `released` to sellers and "
    "`returned` to it; as seller: `received`."
)
class EscrowBalance:
    currency: str
    held: Money
    released: Money
    returned: Money
    received: Money

    @classmethod
    def of(cls, totals: EscrowTotals) -> EscrowBalance:
        return cls(
            currency=totals.currency,
            held=Money.of(totals.held),
            released=Money.of(totals.released),
            returned=Money.of(totals.returned),
            received=Money.of(totals.received),
        )
