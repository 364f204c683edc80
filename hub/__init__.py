"""Silk Road Hub: the application, one package per domain (core, catalogue, harvest, auth, audit) beside
web/ (HTTP) and cli/ (the hub command)."""
