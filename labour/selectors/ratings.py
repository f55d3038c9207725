"""selectors: ratings."""
