"""The app's one error hierarchy, importable without torch (the shells' error handling).

Every error the core raises for the user to read derives from ``AppError``, whose class-level
``kind`` says whose move it is: the user's (a bad file, name or option they can fix; exit status
2) or the app's (something went wrong while doing what was asked; exit status 1). The shells
catch ``AppError`` and show its message, never a traceback. Errors that callers also catch by a
built-in type keep it as a second base (``GlossaryError`` is a ``ValueError``, ``RunBusyError`` a
``FileExistsError``).

A ``ControlFlowSignal`` is not an error: it unwinds work the user stopped (a cancelled
translation) or that has what it needs (a parser told to stop), and no shell shows it as one.
"""

from __future__ import annotations

from enum import Enum


class ErrorKind(Enum):
    """Whose move it is after the error; the value is the command line's exit status."""

    USER = 2  # bad input, file or name: the message says what to change
    FAILURE = 1  # the app could not finish (full disk, NaN loss, out of memory, ...)


class AppError(Exception):
    """An error whose message is shown to the user as is."""

    kind: ErrorKind = ErrorKind.USER

    @property
    def exit_code(self) -> int:
        return self.kind.value


class InvalidInput(AppError, ValueError):
    """A value the user gave (an option, a name, a setting, a file's content) that cannot be used;
    still a ``ValueError`` for callers that check values by the built-in type."""


class AlreadyExists(AppError, FileExistsError):
    """What the user asked to create exists already (a model, a run): the message says what to do."""


class ControlFlowSignal(Exception):
    """Raised to unwind, never shown as an error: deliberately not an ``AppError``."""


class TrainingError(AppError):
    """Training cannot go on (NaN loss, out of memory, a full disk, ...); the last checkpoint is kept."""

    kind = ErrorKind.FAILURE


class GlossaryError(AppError, ValueError):
    """A glossary file or entry the app cannot use: the message names the file, the line and the fix."""


class ParallelDataError(AppError):
    """A file that cannot be read as parallel text (``core.readers``, ``core.catalogs``); the message is shown as is."""


class EncodingError(AppError, ValueError):
    """Why a file is not text under the encoding policy (``core.readers``); the caller puts the file's name in front."""
