"""The GraphQL layer, one package per domain beside core/: types, queries, one module per mutation,
subscriptions, DataLoaders. No business rules live here."""
