"""selectors: files."""
