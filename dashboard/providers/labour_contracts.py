"""Dashboard figures: labour_contracts (read through the app's selectors only)."""
