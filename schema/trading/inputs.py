"""Inputs the trading mutations share: money as the client sent it, a loan's terms."""

from __future__ import annotations

from datetime import date

import strawberry

from hub.trading.inputs import LoanTerms as DomainLoanTerms
from hub.trading.inputs import MoneyInput as DomainMoneyInput
from schema.money.types import MoneyInput


def domain_money(money: MoneyInput, field: str) -> DomainMoneyInput:
    """The amount for the service, as given, once it parses as money: an unsupported currency, a negative,
    over-precise or too large amount is refused here, in the caller's language, on `field` (`asking_price` gives
    `askingPrice.amount`); the service checks it again with its own rules (a price above zero, say)."""
    money.parsed(field)
    return DomainMoneyInput(money.amount, money.currency)


@strawberry.input(description="A temporary loan to an exhibition.")
class LoanTermsInput:
    exhibition: str
    venue_country: str = strawberry.field(description="ISO 3166 code of the venue's country.")
    return_date: date
    loan_fee: MoneyInput

    def to_domain(self) -> DomainLoanTerms:
        fee = domain_money(self.loan_fee, "loan.loan_fee")
        return DomainLoanTerms(self.exhibition, self.venue_country, self.return_date, fee)
