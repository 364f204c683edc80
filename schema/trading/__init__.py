"""The trading domain in the graph: listings, offers, transfers; one module per mutation."""
