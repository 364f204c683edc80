"""Sandbox partner servers: NLC, CRECC and TWMM catalogues served over loopback in their own protocols."""
