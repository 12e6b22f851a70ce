"""The errors only file uploads raise (the rest of RepoError's family fits them too)."""

from repo_server.errors import RepoError


class TooLarge(RepoError):
    """The file is larger than UPLOAD_MAX_BYTES."""

    status, code = 413, "too_large"


class Unsupported(RepoError):
    """The file is a program, or its name claims another format than its bytes."""

    status, code = 415, "unsupported_media_type"
