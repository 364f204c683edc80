"""What every domain's graph shares: context, permissions, Relay pieces, ids, look-ahead, errors, mutation base."""
