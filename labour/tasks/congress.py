"""Tasks: congress."""
