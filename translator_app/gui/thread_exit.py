"""Join the app's worker threads at interpreter exit, whoever forgot to close the window.

Destroying a QThread that still runs aborts the whole process ("QThread: Destroyed while thread
is still running"). A window closed normally joins its threads in ``closeEvent``; a script that
creates a window and simply ends never sends one, so every thread host (``thread_host``) registers
here and is shut down by an ``atexit`` hook, before Python tears the Qt objects down.
"""

from __future__ import annotations

import atexit
import contextlib
import weakref
from typing import Protocol

EXIT_WAIT_MS = 5_000


class Joinable(Protocol):
    def shutdown(self, wait_ms: int = ...) -> bool: ...


_hosts: "weakref.WeakSet[Joinable]" = weakref.WeakSet()


def join_at_exit(host: Joinable) -> None:
    _hosts.add(host)


@atexit.register
def _join_all() -> None:
    for host in list(_hosts):
        with contextlib.suppress(RuntimeError):  # its Qt object is already gone: nothing left to join
            host.shutdown(EXIT_WAIT_MS)
