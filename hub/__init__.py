"""Silk Road Hub: the application (domain services, persistence, sync, CLI, server)."""
