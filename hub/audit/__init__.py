"""The audit log: hash-chained entries written with every state change, read by regulators, verified."""
