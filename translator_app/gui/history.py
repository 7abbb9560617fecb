"""Recent translations: what History (Ctrl+H) lists and restores, and, if the user wants, keeps.

Qt-free, as ``settings`` is, so the file format is tested without a display. Translations may be
confidential (a contract, a medical letter), so by default the history lives only as long as the
window: nothing is written to disk unless the user turns on "Keep history between launches"
(``Key.KEEP_HISTORY``); turning it off deletes the file. The file is JSON in the user's data folder,
written whole or not at all (``core.atomic``); an unreadable one is set aside, never fatal.

As-you-type translates every pause in the typing: a text that extends (or shortens) the newest
entry's text replaces that entry, so one sentence typed word by word is one entry, not ten.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from translator_app.core.paths import user_data_dir

HISTORY_FILE = "history.json"
HISTORY_VERSION = 1
MAX_ENTRIES = 50
MAX_ENTRY_CHARS = 50_000  # a longer text (a pasted book) is not kept: the file stays small


@dataclass(frozen=True)
class HistoryEntry:
    source: str
    text: str
    model: str
    when: str  # local time, ISO 8601 to the second

    @staticmethod
    def now(source: str, text: str, model: str) -> HistoryEntry:
        return HistoryEntry(source, text, model, datetime.now().isoformat(timespec="seconds"))

    @staticmethod
    def from_dict(data: Any) -> HistoryEntry | None:
        """None for anything that is not an entry this version wrote."""
        if not isinstance(data, dict):
            return None
        values = [data.get(name) for name in ("source", "text", "model", "when")]
        strings = [v for v in values if isinstance(v, str)]
        if len(strings) != len(values) or len(strings[0]) > MAX_ENTRY_CHARS:
            return None
        return HistoryEntry(*strings)


def default_path() -> Path:
    return user_data_dir() / HISTORY_FILE


class TranslationHistory:
    """The entries, newest first; ``add`` says whether the list changed."""

    def __init__(self, entries: list[HistoryEntry] | None = None):
        self.entries: list[HistoryEntry] = list(entries or [])[:MAX_ENTRIES]

    def add(self, entry: HistoryEntry) -> bool:
        source = entry.source.strip()
        if not source or len(entry.source) > MAX_ENTRY_CHARS or not entry.text.strip():
            return False
        if self.entries:
            newest = self.entries[0].source.strip()
            if source.startswith(newest) or newest.startswith(source):  # still typing, or the same text again
                self.entries.pop(0)
        self.entries = [e for e in self.entries if e.source.strip() != source]  # an older same text moves up
        self.entries.insert(0, entry)
        del self.entries[MAX_ENTRIES:]
        return True

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            del self.entries[index]

    def clear(self) -> None:
        self.entries.clear()

    def to_json(self) -> bytes:
        data = {"version": HISTORY_VERSION, "entries": [asdict(e) for e in self.entries]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def load_history(path: Path) -> tuple[TranslationHistory, str | None]:
    """The kept history and, when the file could not be used, a notice saying so (the file is set
    aside as ``history.json.corrupt``)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return TranslationHistory(), None
    except OSError as exc:
        return TranslationHistory(), f"Could not read the translation history ({exc.strerror or exc}); it starts empty."
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError("not a history file")
    except (ValueError, RecursionError):
        with contextlib.suppress(OSError):
            os.replace(path, path.with_name(path.name + ".corrupt"))
        return TranslationHistory(), f"The translation history file was damaged and was set aside as {path.name}.corrupt."
    entries = [e for e in (HistoryEntry.from_dict(d) for d in data["entries"]) if e is not None]
    return TranslationHistory(entries), None


def save_history(history: TranslationHistory, path: Path) -> None:
    """Write the whole file or nothing (raises OSError)."""
    from translator_app.core.atomic import write_file_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(path, history.to_json())


def forget_history(path: Path) -> None:
    """The user no longer wants it kept: the file goes (raises OSError if it cannot)."""
    path.unlink(missing_ok=True)
