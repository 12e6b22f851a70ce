"""Configuration defaults; every key can be overridden by a ``REPO_<KEY>`` variable."""

import os


def defaults(instance_path: str) -> dict:
    """Return the embedded defaults for an instance folder (no external service needed)."""
    return {
        # Signs session cookies; "dev" is refused outside debug and testing.
        "SECRET_KEY": "dev",
        # The database; SQLite in the instance folder unless REPO_DATABASE_URL is set.
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "repo.sqlite3"),
        # Where uploaded files live (file:// or s3://bucket/prefix?endpoint=...).
        "STORAGE_URL": "file://" + os.path.join(instance_path, "files"),
        # The search engine (sqlite:///path or http(s)://host:port/index).
        "SEARCH_URL": "sqlite:///" + os.path.join(instance_path, "search.sqlite3"),
        # Seconds before a failed search-index update is tried again (outbox).
        "SEARCH_RETRY_SECONDS": 30,
        # Items indexed per engine call (outbox flushes and reindex batches).
        "SEARCH_BATCH": 500,
        # Items created at once (an import) from which their search documents are
        # built in a background thread after the commit instead of inside the request.
        "SEARCH_BACKGROUND_ITEMS": 200,
        # Longest body indexed per item (characters of description and file text).
        "SEARCH_MAX_BODY_CHARS": 100_000,
        # Largest request body accepted (uploads have their own limit).
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        # Largest file one upload may carry (2 GiB); larger ones get 413.
        "UPLOAD_MAX_BYTES": 2 * 1024**3,
        # Chunk size clients of the resumable upload API are told to send (32 MiB):
        # a dropped chunk keeps what arrived and the page shows progress within a
        # chunk, so large chunks cost nothing on a poor network, and each one is a
        # request (8 MiB chunks made a 1 GiB upload ~1.5x slower).
        "UPLOAD_CHUNK_BYTES": 32 * 1024 * 1024,
        # Hours an unfinished resumable upload (and an unreferenced blob) is kept.
        "UPLOAD_EXPIRY_HOURS": 24,
        # Where the chunks of resumable uploads are appended until complete.
        "UPLOAD_DIR": os.path.join(instance_path, "uploads"),
        # Seconds an upload may stall (no byte arriving) before it is dropped.
        "UPLOAD_IDLE_SECONDS": 120,
        # Seconds a presigned S3 download URL stays valid.
        "DOWNLOAD_URL_SECONDS": 300,
        # Longest text kept from one file for search (characters); the rest is cut.
        "EXTRACT_MAX_CHARS": 1_000_000,
        # Time budget of text extraction per file (seconds); slower files keep partial text.
        "EXTRACT_SECONDS": 20,
        # Files larger than this (bytes) are stored without text extraction.
        "EXTRACT_MAX_BYTES": 200 * 1024 * 1024,
        # Largest JSON field of free text (stems, descriptions), in characters.
        "MAX_TEXT_LENGTH": 20_000,
        # Page size of listings when the client does not ask, and the most it may ask.
        "PAGE_SIZE": 20,
        "MAX_PAGE_SIZE": 100,
        # Listings count matches up to this many, then say "10.000+" (keeps counts fast).
        "LIST_COUNT_LIMIT": 10_000,
        # The interface language when the user has not chosen one.
        "BABEL_DEFAULT_LOCALE": "vi",
        "LANGUAGES": ["vi", "en"],
        # CSRF tokens are checked by auth.check_csrf (API tokens are exempt).
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        # The signed session cookie is sent again only when it changes (login, logout,
        # language), not re-signed on every answer; it expires PERMANENT_SESSION_LIFETIME
        # after the login.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Set to true behind HTTPS so cookies are never sent in clear.
        "SESSION_COOKIE_SECURE": False,
        # werkzeug password hash method; tests use a cheap one.
        "PASSWORD_HASH_METHOD": "scrypt",
        # Wrong passwords allowed per e-mail, and per client address (a school's
        # students share one address), within LOGIN_WINDOW_MINUTES.
        "LOGIN_MAX_FAILURES": 10,
        "LOGIN_MAX_FAILURES_PER_IP": 300,
        "LOGIN_WINDOW_MINUTES": 15,
        # Run background jobs (exports) inside the request instead of a thread (tests).
        "JOBS_INLINE": False,
        # Seconds without progress after which a running job is reported interrupted.
        "JOB_STALE_SECONDS": 300,
        # Seconds after an attempt's deadline a save still counts (network latency);
        # attempts are closed only after this too.
        "QUIZ_SAVE_GRACE_SECONDS": 2,
        # Seconds between two deadline sweeps of each web process (0: only lazy closing
        # and `repo-server quiz sweep`).
        "QUIZ_SWEEP_SECONDS": 30,
        # Bytes of an export package kept in memory before it spills to a temp file.
        "EXPORT_SPOOL_BYTES": 32 * 1024 * 1024,
        # Uncompressed bytes, entries and per-entry compression ratio of an imported ZIP.
        "IMPORT_MAX_ZIP_BYTES": 500 * 1024 * 1024,
        "IMPORT_MAX_ZIP_ENTRIES": 100_000,
        "IMPORT_MAX_ZIP_RATIO": 100.0,
        # Largest question file read (Word, Excel, Moodle …), and how many questions of
        # the bank the duplicate check compares against (the newest first).
        "IMPORT_MAX_FILE_BYTES": 50 * 1024 * 1024,
        "IMPORT_DUPLICATE_SCAN": 50_000,
        # Curation: e-mail notifications go out through this SMTP server when set.
        "SMTP_HOST": "",
        "SMTP_PORT": 25,
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_STARTTLS": False,
        "SMTP_FROM": "kho-hoc-lieu@localhost",
        # Base URL put before links in e-mails (e.g. https://khohoclieu.example.vn).
        "PUBLIC_URL": "",
        # Reviewers are reminded of items waiting longer than this many days.
        "REVIEW_REMINDER_DAYS": 7,
        # Share of lessons to cover per school year (the plan: 60 → 70 → 80 → 100 %).
        "COVERAGE_TARGETS": {
            "2025-2026": 60,
            "2026-2027": 70,
            "2027-2028": 80,
            "default": 100,
        },
        # Where SCORM package content is served from: "" for this origin (always in a
        # sandboxed iframe with an opaque origin), or e.g. "https://noidung.example.vn"
        # routed to the same app, so content never shares the app's origin.
        "SCORM_CONTENT_ORIGIN": "",
        # Lifetime of the signed links a player gives to one attempt's content.
        "SCORM_CONTENT_SECONDS": 8 * 3600,
        # Log every SQL statement (debugging only).
        "SQL_ECHO": False,
    }
