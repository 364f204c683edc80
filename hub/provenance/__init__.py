"""Provenance: an item's record and its completed transfers, hashed canonically and registered on every chain."""
