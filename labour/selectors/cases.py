"""selectors: cases."""
