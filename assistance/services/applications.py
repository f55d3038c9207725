"""services: applications."""
