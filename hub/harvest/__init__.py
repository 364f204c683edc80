"""Harvesting partners: the sync service, the registry of partner protocols, one harvest at a time."""
