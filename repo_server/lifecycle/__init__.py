"""The lifecycle every content item shares: draft → submitted → published/returned → archived."""
