"""The catalogue in the graph: institutions, items, search, changes, partner push and sync on demand."""
