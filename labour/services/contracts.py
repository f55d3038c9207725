"""services: contracts."""
