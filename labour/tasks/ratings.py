"""Tasks: ratings."""
