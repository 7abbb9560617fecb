"""The translation worker's waiting jobs: one pending live request, file jobs in order, cancellations.

The GUI thread adds and cancels, the worker thread takes and finishes, all under one lock. Live
translations (as-you-type, the Translate button) go through a single pending slot, as in
translateLocally: while one translation runs, each new request replaces the waiting one, so after a
burst of edits only the newest text is translated next. File jobs queue in order and are never
dropped. A file job lets the waiting live request run between its batches (``take_live``), so the
window's text never waits for a whole document: two jobs may then be running, the live one inside
the file one.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from translator_app.gui.translation_messages import FileRequest, TranslationRequest


@dataclass(frozen=True)
class NextJob:
    """What the worker runs next, and the file jobs it must fail first."""

    job: FileRequest | TranslationRequest | None  # None: nothing to run now
    orphans: list[FileRequest] = field(default_factory=list)  # no model is loaded: they cannot wait for one


class TranslationQueue:
    """Thread-safe: every method takes the lock; ``take`` marks the job it returns as running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: TranslationRequest | None = None
        self._files: deque[FileRequest] = deque()
        self._cancel_ids: set[int] = set()
        self._running: list[int] = []  # a file job, and a live request it let run between its batches
        self._stopping = False

    # ---- the GUI thread ---------------------------------------------------------------------------

    def submit(self, request: TranslationRequest) -> None:
        """Queue a live translation; it replaces any live request still waiting."""
        with self._lock:
            self._pending = request

    def submit_file(self, request: FileRequest) -> None:
        with self._lock:
            self._files.append(request)

    def cancel(self, request_id: int | None = None) -> list[int]:
        """Cancel one request (or the running one and the waiting live one when ``None``); returns the
        ids dropped before they ran (the running one ends at its next batch)."""
        dropped: list[int] = []
        with self._lock:
            if request_id is None:
                self._cancel_ids.update(self._running)
                if self._pending is not None:
                    dropped.append(self._pending.id)
                    self._pending = None
            else:
                self._cancel_ids.add(request_id)
                if self._pending is not None and self._pending.id == request_id:
                    dropped.append(request_id)
                    self._pending = None
                for job in list(self._files):
                    if job.id == request_id:
                        self._files.remove(job)
                        dropped.append(request_id)
        return dropped

    def cancel_live(self, request_ids: set[int]) -> list[int]:
        """Cancel every live request in ``request_ids`` whether running or waiting (a cancel cancels all
        queued before it); returns the ids dropped before they ran. File jobs are left alone."""
        dropped: list[int] = []
        with self._lock:
            self._cancel_ids.update(request_ids.intersection(self._running))
            if self._pending is not None and self._pending.id in request_ids:
                dropped.append(self._pending.id)
                self._pending = None
        return dropped

    def stop(self) -> None:
        """Drop every waiting job, and have the running one stop at its next batch."""
        with self._lock:
            self._stopping = True
            self._pending = None
            self._files.clear()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def is_busy(self) -> bool:
        with self._lock:
            return bool(self._running) or self._pending is not None or bool(self._files)

    # ---- the worker thread ------------------------------------------------------------------------

    def take(self, model_loaded: bool) -> NextJob | None:
        """The next job: file jobs in order, then the newest live request; None once stopping."""
        with self._lock:
            if self._stopping:
                return None
            if not model_loaded:
                orphans = list(self._files)
                self._files.clear()
                return NextJob(None, orphans)
            job: FileRequest | TranslationRequest | None
            if self._files:
                job = self._files.popleft()
            elif self._pending is not None:
                job, self._pending = self._pending, None
            else:
                job = None
            if job is not None:
                self._running.append(job.id)
            return NextJob(job)

    def live_waiting(self) -> bool:
        with self._lock:
            return self._pending is not None and not self._stopping

    def take_live(self) -> TranslationRequest | None:
        """The live request waiting, marked running, for a file job to run between its batches; None if
        there is none (or the worker is stopping)."""
        with self._lock:
            if self._stopping or self._pending is None:
                return None
            job, self._pending = self._pending, None
            self._running.append(job.id)
            return job

    def finish(self, request_id: int) -> None:
        """A running job is over (done, failed or cancelled)."""
        with self._lock:
            if request_id in self._running:
                self._running.remove(request_id)
            self._cancel_ids.discard(request_id)

    def is_cancelled(self, request_id: int) -> bool:
        with self._lock:
            return self._stopping or request_id in self._cancel_ids
