"""Files of materials: content-addressed blobs, streamed uploads and downloads."""
