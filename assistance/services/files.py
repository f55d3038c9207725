"""services: files."""
