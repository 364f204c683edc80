"""Inputs the trading mutations share: money as the client sent it, a loan's terms."""

from __future__ import annotations

from datetime import date

import strawberry

from hub.trading.inputs import LoanTerms as DomainLoanTerms
from hub.trading.inputs import MoneyInput as DomainMoneyInput
from schema.money.types import MoneyInput


def domain_money(money: MoneyInput) -> DomainMoneyInput:
    """The amount goes to the service as given: it refuses an unsupported currency, a negative or over-precise
    amount with a payload error naming the field (`askingPrice.amount`)."""
    return DomainMoneyInput(money.amount, money.currency)


@strawberry.input(description="A temporary loan to an exhibition.")
class LoanTermsInput:
    exhibition: str
    venue_country: str = strawberry.field(description="ISO 3166 code of the venue's country.")
    return_date: date
    loan_fee: MoneyInput

    def to_domain(self) -> DomainLoanTerms:
        return DomainLoanTerms(self.exhibition, self.venue_country, self.return_date, domain_money(self.loan_fee))
