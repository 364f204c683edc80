"""The GraphQL layer: types, queries, subscriptions and DataLoaders. No business rules live here."""
