"""The external backends, built once per app from their URLs (sole reader of app.extensions)."""

from flask import Flask, current_app

import search
import storage
from search import SearchBackend
from storage import Storage

#: Key of our storage backend in ``app.extensions``.
STORAGE = "repo_storage"
#: Key of our search backend in ``app.extensions``.
SEARCH = "repo_search"


def init_backends(app: Flask) -> None:
    """Build the storage and search backends named by STORAGE_URL and SEARCH_URL."""
    app.extensions[STORAGE] = storage.from_url(app.config["STORAGE_URL"])
    app.extensions[SEARCH] = search.from_url(app.config["SEARCH_URL"])


def get_storage() -> Storage:
    """Return the current app's storage backend."""
    return current_app.extensions[STORAGE]


def get_search() -> SearchBackend:
    """Return the current app's search backend."""
    return current_app.extensions[SEARCH]
