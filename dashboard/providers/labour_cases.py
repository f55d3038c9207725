"""Dashboard figures: labour_cases (read through the app's selectors only)."""
