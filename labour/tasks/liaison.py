"""Tasks: liaison."""
