"""The app's settings: one ``Key`` enum, one JSON file in the platformdirs config folder.

Qt-free on purpose, so the file format can be tested without a display and read by scripts. Every
value is checked on load: a wrong type or an out-of-range number falls back to that key's default,
and an unreadable file falls back to all defaults with a ``notice`` the window shows in its status
bar (the broken file is kept beside it as ``settings.json.corrupt`` so nothing is lost silently).
Writes go through ``core.atomic`` (a temporary file that replaces the old one), so a crash mid-write
never leaves a half-written settings file.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from translator_app.core.atomic import write_atomic_with
from translator_app.core.devices import THREADS
from translator_app.core.types.options import LIMITS, DecodeOptions
from translator_app.core.paths import DEFAULT_MODEL, user_config_dir

SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1


class Key(str, enum.Enum):
    """Every setting the app stores; the value is the key in the JSON file."""

    MODEL = "model"
    DEVICE = "device"
    CPU_THREADS = "cpu_threads"
    AS_YOU_TYPE = "as_you_type"
    FONT_FAMILY = "font_family"
    FONT_SIZE = "font_size"
    BEAM_WIDTH = "beam_width"
    MAX_LENGTH = "max_length"
    LENGTH_PENALTY = "length_penalty"
    ALTERNATIVES = "alternatives"
    NO_REPEAT_NGRAM = "no_repeat_ngram_size"
    LAYOUT = "layout"
    WINDOW_GEOMETRY = "window_geometry"
    WINDOW_STATE = "window_state"
    LAST_DIRECTORY = "last_directory"
    SHOW_ATTENTION = "show_attention"
    CUSTOM_DECODING = "custom_decoding"  # DecodeOptions fields the user set (others follow the model)
    APPEARANCE = "appearance"  # "system", "light" or "dark"
    GLOSSARY = "glossary"  # apply the user's glossary (when it has entries)
    KEEP_HISTORY = "keep_history"  # write the translation history to the data folder (off: forgotten at exit)


DEVICES = ("auto", "cpu", "gpu")
LAYOUTS = ("auto", "side-by-side", "stacked")
APPEARANCES = ("system", "light", "dark")
FONT_SIZES = (6, 48)


@dataclass(frozen=True)
class Spec:
    default: Any
    check: Callable[[Any], bool]


def _int_in(lo: int, hi: int) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


DECODING_KEYS = (Key.BEAM_WIDTH, Key.MAX_LENGTH, Key.LENGTH_PENALTY, Key.ALTERNATIVES, Key.NO_REPEAT_NGRAM)
# Settings key -> DecodeOptions field.
DECODING_FIELDS = dict(zip(DECODING_KEYS, ("beam_width", "max_length", "length_penalty", "n_best", "no_repeat_ngram_size")))


def _decoding(key: Key) -> Spec:
    """A decoding setting: DecodeOptions' default, checked against its ``LIMITS`` (both torch-free,
    so the window still appears before torch is imported)."""
    field = DECODING_FIELDS[key]
    return Spec(getattr(DecodeOptions, field), LIMITS[field].admits)


SPECS: dict[Key, Spec] = {
    Key.MODEL: Spec(DEFAULT_MODEL, lambda v: isinstance(v, str) and v.strip() != ""),
    Key.DEVICE: Spec("auto", lambda v: v in DEVICES),
    Key.CPU_THREADS: Spec(0, THREADS.admits),  # 0 = automatic (core.devices.resolve_runtime)
    Key.AS_YOU_TYPE: Spec(True, lambda v: isinstance(v, bool)),
    Key.FONT_FAMILY: Spec("", _is_str),  # "" = the system font
    Key.FONT_SIZE: Spec(0, lambda v: v == 0 or _int_in(*FONT_SIZES)(v)),  # 0 = the system size
    **{key: _decoding(key) for key in DECODING_KEYS},
    Key.LAYOUT: Spec("auto", lambda v: v in LAYOUTS),
    Key.WINDOW_GEOMETRY: Spec("", _is_str),  # base64 of QWidget.saveGeometry()
    Key.WINDOW_STATE: Spec("", _is_str),  # base64 of QMainWindow.saveState()
    Key.LAST_DIRECTORY: Spec("", _is_str),
    Key.SHOW_ATTENTION: Spec(True, lambda v: isinstance(v, bool)),  # for models that have attention
    Key.CUSTOM_DECODING: Spec([], lambda v: isinstance(v, list) and all(f in DECODING_FIELDS.values() for f in v)),
    Key.APPEARANCE: Spec("system", lambda v: v in APPEARANCES),
    Key.GLOSSARY: Spec(True, lambda v: isinstance(v, bool)),
    Key.KEEP_HISTORY: Spec(False, lambda v: isinstance(v, bool)),  # off: translations may be confidential
}


def default_path() -> Path:
    return user_config_dir() / SETTINGS_FILE


class Settings:
    """Typed access to the settings file; ``set`` writes through at once (the file is tiny)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.notice: str | None = None  # set when the file could not be used as it was
        self._values: dict[Key, Any] = {k: spec.default for k, spec in SPECS.items()}
        self._load()

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.notice = f"Could not read the settings file ({exc.strerror or exc}); using the defaults."
            return
        try:  # not UTF-8 (UnicodeDecodeError is a ValueError) or nested too deep: damaged, set it aside
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (ValueError, RecursionError) as exc:
            backup = self.path.with_name(self.path.name + ".corrupt")
            try:
                os.replace(self.path, backup)
                kept = f" The broken file was kept as {backup.name}."
            except OSError:
                kept = ""
            self.notice = f"The settings file was damaged ({exc.__class__.__name__}); the defaults are restored.{kept}"
            return
        rejected = []
        for key, spec in SPECS.items():
            if key.value not in data:
                continue
            value = data[key.value]
            if isinstance(spec.default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if spec.check(value):
                self._values[key] = value
            else:
                rejected.append(key.value)
        if Key.CUSTOM_DECODING.value not in data:  # files from before models had their own defaults
            self._values[Key.CUSTOM_DECODING] = [
                field for key, field in DECODING_FIELDS.items() if self._values[key] != SPECS[key].default
            ]
        if rejected:
            self.notice = f"Some settings were invalid and were reset to their defaults: {', '.join(rejected)}."

    def get(self, key: Key) -> Any:
        return self._values[key]

    def set(self, key: Key, value: Any, *, save: bool = True) -> None:
        spec = SPECS[key]
        if isinstance(spec.default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not spec.check(value):
            raise ValueError(f"invalid value for setting {key.value!r}: {value!r}")
        if self._values[key] == value:
            return
        self._values[key] = value
        if save:
            self.save()

    def update(self, values: dict[Key, Any]) -> None:
        """Set several values and write the file once."""
        for key, value in values.items():
            self.set(key, value, save=False)
        self.save()

    def decoding(self) -> dict[str, Any]:
        """The decoding options as DecodeOptions keyword arguments."""
        return {DECODING_FIELDS[k]: self._values[k] for k in DECODING_KEYS}

    def to_dict(self) -> dict[str, Any]:
        return {"version": SETTINGS_VERSION, **{k.value: v for k, v in self._values.items()}}

    def save(self) -> None:
        """Written whole or not at all (``core.atomic``): a crash mid-write keeps the old file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(self.to_dict(), fh, indent=2, ensure_ascii=False)
                fh.write("\n")

        write_atomic_with(self.path, write)
