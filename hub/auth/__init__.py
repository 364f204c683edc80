"""OAuth 2.0: the hub as authorization server (clients, keys, tokens) and as resource server (principals)."""
