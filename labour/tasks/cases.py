"""Tasks: cases."""
