"""services: campaigns."""
