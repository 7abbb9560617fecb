"""Stdin lines in blocks of what has already arrived, so output streams and batching is kept.

A reader thread reads ahead (at most one block); the translating side takes whatever is waiting,
at least one line. A pipe written slowly (or a person typing) gets each line translated as soon as
it comes; a file gets full blocks, which the model searches together, as fast as before.
"""

from __future__ import annotations

import threading
from queue import Empty, Queue
from typing import Iterator, TypeVar

T = TypeVar("T")

__all__ = ["ready_blocks"]


def ready_blocks(lines: Iterator[T], size: int) -> Iterator[list[T]]:
    """``lines`` in blocks of at most ``size``, each as many as were read by the time it is asked for."""
    queue: Queue[tuple[bool, object]] = Queue(maxsize=size)  # (done, line or the reader's exception)

    def read() -> None:
        try:
            for line in lines:
                queue.put((False, line))
        except BaseException as exc:  # handed over, raised where the lines are used
            queue.put((True, exc))
        else:
            queue.put((True, None))

    threading.Thread(target=read, name="stdin-reader", daemon=True).start()
    while True:
        done, item = queue.get()
        block: list[T] = []
        while not done:
            block.append(item)  # type: ignore[arg-type]
            if len(block) >= size:
                break
            try:
                done, item = queue.get_nowait()
            except Empty:
                break
        if block:
            yield block
        if done:
            if isinstance(item, BaseException):
                raise item
            return
