"""services: ratings."""
