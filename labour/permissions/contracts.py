"""permissions: contracts."""
