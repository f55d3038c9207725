"""Tasks: files."""
