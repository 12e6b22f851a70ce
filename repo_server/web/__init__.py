"""Server-rendered pages of the web shell."""
