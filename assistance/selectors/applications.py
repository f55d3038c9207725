"""selectors: applications."""
