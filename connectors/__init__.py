"""Protocol adapters: a partner endpoint becomes a stream of normalised catalogue records."""
