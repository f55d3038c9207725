"""selectors: campaigns."""
