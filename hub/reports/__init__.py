"""Reports for regulators: the audit log of one jurisdiction over a bounded period, streamed as CSV or JSON Lines."""
