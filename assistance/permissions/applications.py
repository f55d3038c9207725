"""permissions: applications."""
