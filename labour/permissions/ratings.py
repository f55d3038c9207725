"""permissions: ratings."""
