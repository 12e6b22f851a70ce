"""A least-recently-used cache kept per thread (for cached lxml trees).

Cached element trees are copied, never changed; each thread still keeps its own, so
no tree is ever touched by two threads (exports may run in parallel jobs).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def thread_cache(maxsize: int) -> Callable[[F], F]:
    """Decorate a function with an ``lru_cache`` of ``maxsize`` entries per thread."""

    def decorate(function: F) -> F:
        local = threading.local()

        @functools.wraps(function)
        def cached(*args):
            wrapped = getattr(local, "cached", None)
            if wrapped is None:
                wrapped = local.cached = functools.lru_cache(maxsize)(function)
            return wrapped(*args)

        return cached  # type: ignore[return-value]

    return decorate
