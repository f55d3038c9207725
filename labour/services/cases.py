"""services: cases."""
