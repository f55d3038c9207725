"""The labour app's permissions, one module per part (cases, contracts, ratings, congress, liaison)."""
