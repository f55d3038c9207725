"""Dashboard figures: assistance_campaigns (read through the app's selectors only)."""
