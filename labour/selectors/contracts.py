"""selectors: contracts."""
