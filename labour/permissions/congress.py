"""permissions: congress."""
