"""selectors: liaison."""
