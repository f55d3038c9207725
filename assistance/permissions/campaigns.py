"""permissions: campaigns."""
