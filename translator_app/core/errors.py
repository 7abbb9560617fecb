"""Errors the shells show as one message, importable without torch (the CLI's error handling)."""

from __future__ import annotations


class TrainingError(Exception):
    """Training cannot go on (NaN loss, out of memory, a full disk, ...); the last checkpoint is kept."""


class GlossaryError(ValueError):
    """A glossary file or entry the app cannot use: the message names the file, the line and the fix."""
