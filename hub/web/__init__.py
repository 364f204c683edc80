"""HTTP: the Starlette app, bearer tokens on /graphql, OAuth endpoints, response cache, rate limits, metrics."""
