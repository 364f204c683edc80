"""Money: amounts in ISO 4217 currencies, dated FX rates and conversion, the escrow ledger."""
