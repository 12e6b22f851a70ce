"""Background jobs: long exports (and recorded imports) with progress in the database."""
