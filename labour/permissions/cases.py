"""permissions: cases."""
