"""Tasks: campaigns."""
