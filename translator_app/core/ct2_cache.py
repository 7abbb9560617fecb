"""Content-addressed, verified CTranslate2 conversions (``core.ct2_backend`` makes them).

A conversion is found by what it was made from: the SHA-256 of the weights file, the converter's
version and ctranslate2's. A path, size and time are not enough, since ``cp -p``, ``rsync -t`` and
unzip give a retrained file the old one's time. Each conversion carries a manifest, written into
it before it is renamed into place, with the size and SHA-256 of every file it holds; it is used
only when all of them match, so flipped bytes, a truncated ``model.bin`` or another model's
conversion copied in are rebuilt and never decoded with. Hashing is cheap next to loading the
model: 12 ms for the 19 MB weights and 23 ms for the 40 MB ``model.bin`` of a 226 ms cached load
(general-transformer-de-en, SHA-256 with the CPU's SHA instructions). So no hash is remembered
between runs: a remembered one would be a claim in the cache that nothing could check.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

MANIFEST = "translator-app-manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024  # a few hundred bytes when written by us
REQUIRED = ("model.bin", "config.json")


@dataclass(frozen=True)
class Source:
    """What a conversion is made from; two conversions of equal sources are interchangeable."""

    weights_sha256: str
    converter: int
    ctranslate2: str

    def key(self) -> str:
        """The cache folder's name suffix: a short hash of all three."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def engine_version() -> str:
    """ctranslate2's installed version, without importing it."""
    try:
        return metadata.version("ctranslate2")
    except metadata.PackageNotFoundError:
        return "none"


def source_of(weights_file: Path, converter: int) -> Source:
    return Source(file_sha256(weights_file), converter, engine_version())


def write_manifest(ct2_dir: Path, source: Source) -> None:
    """Record the source and each file's size and hash; call before the folder is renamed into place."""
    files = {
        p.name: {"size": p.stat().st_size, "sha256": file_sha256(p)}
        for p in sorted(Path(ct2_dir).iterdir())
        if p.name != MANIFEST
    }
    (Path(ct2_dir) / MANIFEST).write_text(json.dumps({"source": asdict(source), "files": files}, indent=1), encoding="utf-8")


def problem(ct2_dir: Path, source: Source) -> str | None:
    """Why the conversion in ``ct2_dir`` must not be used for ``source``; None when it verifies."""
    ct2_dir = Path(ct2_dir)
    manifest_path = ct2_dir / MANIFEST
    try:
        if not ct2_dir.is_dir():
            return "no conversion yet"
        if not manifest_path.is_file():
            return "it has no manifest"
        if manifest_path.stat().st_size > MAX_MANIFEST_BYTES:
            return "its manifest is too large"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("source") != asdict(source):
            return "it was made from other weights or by another converter version"
        files = manifest["files"]
        present = {p.name for p in ct2_dir.iterdir()} - {MANIFEST}
        if present != set(files) or not set(REQUIRED) <= present:
            return "its files are not the ones it was written with"
        for name, expected in files.items():
            path = ct2_dir / name
            if not path.is_file() or path.stat().st_size != expected["size"]:
                return f"{name} has the wrong size, truncated or replaced"
            if file_sha256(path) != expected["sha256"]:
                return f"{name} is corrupt, its hash differs"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return f"its manifest is unreadable, {type(exc).__name__}"
    return None


__all__ = ["MANIFEST", "Source", "engine_version", "file_sha256", "problem", "source_of", "write_manifest"]
