"""materials feature."""
