"""Imports of question files: upload → preview with problems → fixes → atomic commit."""
