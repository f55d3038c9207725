"""The labour app's services, one module per part (cases, contracts, ratings, congress, liaison)."""
