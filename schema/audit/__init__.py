"""The audit log in the graph."""
