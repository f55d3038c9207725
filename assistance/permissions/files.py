"""permissions: files."""
