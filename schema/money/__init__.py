"""The money domain in the graph: Money, MoneyInput, FX rates, escrow balances."""
