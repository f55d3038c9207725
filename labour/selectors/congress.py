"""selectors: congress."""
