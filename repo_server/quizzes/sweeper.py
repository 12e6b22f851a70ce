"""The server closes attempts at their deadline by itself: a sweep thread per process.

Each web process (gunicorn worker) starts one daemon thread at its first request — after
the fork, so the thread lives in the worker — that closes every attempt past its
deadline every QUIZ_SWEEP_SECONDS (± 20 %, so workers do not sweep in step). Several
processes may sweep at once: closing is a conditional UPDATE (``state =
'in_progress'``), so one of them wins each attempt and only the winner scores it.
Between sweeps, anything that touches a due attempt closes it first (``close_if_due``).
"""

import logging
import os
import random
import threading

from sqlalchemy.exc import SQLAlchemyError

from repo_server.extensions import db

logger = logging.getLogger(__name__)
#: The sweep thread of this process, by process id (a forked child starts its own).
_THREADS: dict[int, threading.Thread] = {}
_LOCK = threading.Lock()


def install(app) -> None:
    """Start the sweep at each process's first request (not in tests: they sweep)."""
    seconds = app.config["QUIZ_SWEEP_SECONDS"]
    if not seconds or app.testing:
        return

    @app.before_request
    def start_quiz_sweeper():
        if os.getpid() not in _THREADS:
            start(app, seconds)


def start(app, seconds: float) -> threading.Thread:
    """Start this process's sweep thread once; return it (``.stop`` ends it)."""
    with _LOCK:
        thread = _THREADS.get(os.getpid())
        if thread is None:
            stop = threading.Event()
            thread = threading.Thread(
                target=_loop, args=(app, seconds, stop), name="quiz-sweep", daemon=True
            )
            thread.stop = stop
            _THREADS[os.getpid()] = thread
            thread.start()
        return thread


def _loop(app, seconds: float, stop: threading.Event) -> None:
    while not stop.wait(seconds * random.uniform(0.8, 1.2)):
        sweep_once(app)


def sweep_once(app) -> int:
    """Close the attempts past their deadline; a database error waits for the next turn."""
    from repo_server.quizzes.delivery import sweep

    with app.app_context():
        try:
            closed = sweep()
        except SQLAlchemyError:
            db.session.rollback()
            logger.exception("quiz sweep failed")
            return 0
        finally:
            db.session.remove()
    if closed:
        logger.info("quiz sweep: %s attempts closed at their deadline", closed)
    return closed


def stop() -> None:
    """End this process's sweep thread (tests; a server's threads end with it)."""
    with _LOCK:
        thread = _THREADS.pop(os.getpid(), None)
    if thread is not None:
        thread.stop.set()
        thread.join()
