"""Pictures shown in question text: uploaded once, stored as blobs, served by hash."""
