"""Clearance in the graph: compliance decisions, export licences, customs and delivery."""
