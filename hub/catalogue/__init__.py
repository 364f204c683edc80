"""The catalogue: institutions, their items (stored, searched, pushed) and the changes to them."""
