"""services: liaison."""
