"""Compiled reads: a validated query the plan compiler covers runs as a plan (the SQL of a page in one statement,
its JSON assembled without a resolver per field) instead of through the resolvers; the standard executor stays
the reference and answers everything else, and every request the plan would not answer as it does."""
