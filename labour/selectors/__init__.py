"""The labour app's selectors, one module per part (cases, contracts, ratings, congress, liaison)."""
