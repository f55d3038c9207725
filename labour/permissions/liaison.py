"""permissions: liaison."""
