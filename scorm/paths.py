"""Package paths in manifests: split a launch href, normalise, refuse escapes."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from qti.conventions import is_external
from qti.zipsafe import is_safe_path
from scorm.errors import ScormError


def split_href(href: str) -> tuple[str, str]:
    """Return (path, query-and-fragment) of a launch href."""
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=-1)
    return (href, "") if cut < 0 else (href[:cut], href[cut:])


def package_path(href: str, what: str) -> str:
    """Return the normalised package path of ``href``; refuse one that leaves the package."""
    path = posixpath.normpath(unquote(split_href(href)[0]))
    if is_external(href) or not is_safe_path(path) or path == ".":
        raise ScormError(
            f"Đường dẫn không an toàn hoặc nằm ngoài gói ({what}): {href!r}.", "package"
        )
    return path


def with_parameters(href: str, parameters: str) -> str:
    """Append an item's ``parameters`` to its resource href (SCORM CAM rules)."""
    parameters = parameters.strip()
    if not parameters:
        return href
    if parameters[0] == "#":
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    return f"{href}{'&' if '?' in href else '?'}{parameters}"
