"""Dashboard figures: assistance_files (read through the app's selectors only)."""
