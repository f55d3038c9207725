"""Tasks: applications."""
