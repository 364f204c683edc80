"""Small pieces every domain shares, one of each: clock, canonical JSON, cursors, paging, idempotency, errors."""
