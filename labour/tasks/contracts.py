"""Tasks: contracts."""
