"""services: congress."""
