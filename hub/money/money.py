"""An immutable amount in one currency: `Decimal`, never float, at most the currency's minor units."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from hub.core.translations import N_
from hub.money.currencies import check_currency, minor_units
from hub.money.errors import MoneyError, MoneyErrorCode, field_path, money_text, shown

MAX_AMOUNT = Decimal(10) ** 15
"""The largest amount the hub takes or produces in any currency (a quadrillion units)."""
MAX_AMOUNT_TEXT = 64
MAX_LOCALE_TAG = 35
DECIMAL_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?")

NOT_EXACT = N_("{value} is a {kind}: give the amount as a decimal string")
NOT_DECIMAL = N_("{value} is not a decimal number like '1234.50'")
NOT_FINITE = N_("{value} is not a finite number")
TOO_LARGE = N_("{amount} {currency} is over the limit of 10^15")
TOO_PRECISE = N_("{amount} has more decimal places than {currency} allows ({places})")
NOT_A_LOCALE = N_("{value} is not a locale tag like 'zh-CN'")
UNKNOWN_LOCALE = N_("unknown locale {value}: give a tag like 'zh-CN' or 'fr-FR'")
NEGATIVE = N_("{amount} {currency} is negative")
MISMATCH = N_("cannot combine {first} with {second}: convert one of them first")


def parse_decimal(value: object, field: str, code: MoneyErrorCode = MoneyErrorCode.INVALID_AMOUNT) -> Decimal:
    """A finite Decimal from a decimal string, a Decimal or an int; floats are refused (they are not exact)."""
    if isinstance(value, bool | float):
        raise MoneyError(code, field, money_text(NOT_EXACT, value=shown(value), kind=type(value).__name__))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        if len(value) > MAX_AMOUNT_TEXT or not DECIMAL_TEXT.fullmatch(value):
            raise MoneyError(code, field, money_text(NOT_DECIMAL, value=shown(value)))
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise MoneyError(code, field, money_text(NOT_DECIMAL, value=shown(value)))
    if not value.is_finite():
        raise MoneyError(code, field, money_text(NOT_FINITE, value=shown(str(value))))
    return value


def _exact_amount(amount: Decimal, currency: str, field: str) -> Decimal:
    """`amount` at exactly the currency's minor units, or a refusal naming why it cannot be."""
    if abs(amount) > MAX_AMOUNT:
        raise MoneyError(
            MoneyErrorCode.AMOUNT_TOO_LARGE, field, money_text(TOO_LARGE, amount=shown(str(amount)), currency=currency)
        )
    places = minor_units(currency)
    try:
        exact = amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        exact = None
    if exact is None or exact != amount:
        message = money_text(TOO_PRECISE, amount=shown(str(amount)), currency=currency, places=places)
        raise MoneyError(MoneyErrorCode.TOO_PRECISE, field, message)
    return exact + 0 if exact.is_zero() else exact  # no negative zero


def parse_locale(tag: object, field: str = "locale") -> Locale:
    """A babel Locale from a BCP 47 tag such as 'zh-CN', 'ar-EG' or 'fr-FR'."""
    if not isinstance(tag, str) or not 0 < len(tag) <= MAX_LOCALE_TAG:
        raise MoneyError(MoneyErrorCode.INVALID_LOCALE, field, money_text(NOT_A_LOCALE, value=shown(tag)))
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise MoneyError(MoneyErrorCode.INVALID_LOCALE, field, money_text(UNKNOWN_LOCALE, value=shown(tag))) from None


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class Money:
    """`amount` is held at exactly the currency's minor units ('12.5' USD is 12.50); it may be negative."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        currency = check_currency(self.currency)
        amount = parse_decimal(self.amount, "amount")
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "amount", _exact_amount(amount, currency, "amount"))

    @classmethod
    def parse(
        cls, amount: object, currency: object, *, field: str | None = None, allow_negative: bool = False
    ) -> Money:
        """Money from client input; `field` prefixes the error paths (`price` gives `price.amount`)."""
        code = check_currency(currency, field_path(field, "currency"))
        amount_field = field_path(field, "amount")
        value = parse_decimal(amount, amount_field)
        if value < 0 and not allow_negative:
            message = money_text(NEGATIVE, amount=shown(str(value)), currency=code)
            raise MoneyError(MoneyErrorCode.NEGATIVE_AMOUNT, amount_field, message)
        return cls(_exact_amount(value, code, amount_field), code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Money:
        """Money from an integer count of minor units (cents, fils): how the ledger stores amounts."""
        code = check_currency(currency)
        return cls(Decimal(units).scaleb(-minor_units(code)), code)

    @property
    def minor(self) -> int:
        """The amount as an integer count of the currency's minor units."""
        return int(self.amount.scaleb(minor_units(self.currency)))

    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            message = money_text(MISMATCH, first=str(self), second=str(other))
            raise MoneyError(MoneyErrorCode.CURRENCY_MISMATCH, None, message)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def formatted(self, locale: str) -> str:
        """The amount as a reader of `locale` (a BCP 47 tag) expects it: '¥88,000.00', '1 234,50 $US'."""
        return format_currency(self.amount, self.currency, locale=parse_locale(locale))

    def to_json(self) -> dict[str, str]:
        """For audit payloads and stored documents: the amount as a string, never a float."""
        return {"amount": str(self.amount), "currency": self.currency}
