"""Dashboard figures: labour_congress (read through the app's selectors only)."""
