"""What a model whose config.json is far too large costs the model store: written, then measured.

A 1 GiB ``description`` zips to a few MB, so a hostile export is small to hand around. The store
must refuse it by its size, before a byte is unpacked or parsed, on import and on every listing.
These helpers write such a model (zipped, or installed as an older app would have) a MB at a time,
and measure what refusing it costs a fresh process: the fault tests at 8 MB and 1 GiB with bounds,
``benchmarks/faults.py`` at 1 GiB as figures.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import zipfile
from pathlib import Path

from translator_app.core.paths import user_models_dir
from translator_app.core.types.modelformat import CONFIG_FILE, VOCAB_FILE, WEIGHTS_FILE
from translator_app.devtools.peak_memory import MB, peak_rss_mb

BESIDE_CONFIG = (WEIGHTS_FILE, VOCAB_FILE)  # copied as they are from the source model


def _config_with_description(source: Path) -> tuple[bytes, bytes]:
    """config.json's bytes before and after its description, which the writers fill a MB at a time."""
    raw = json.loads((source / CONFIG_FILE).read_text(encoding="utf-8"))
    raw["description"] = "\x00"
    head, tail = json.dumps(raw).encode("utf-8").split(b'"\\u0000"')
    return head + b'"', b'"' + tail


def write_big_config(path: Path, source: Path, size_mb: int) -> Path:
    """``source``'s config.json with a ``size_mb`` MB description, written a MB at a time."""
    head, tail = _config_with_description(source)
    with open(path, "wb") as fh:
        fh.write(head)
        for _ in range(size_mb):
            fh.write(b"a" * MB)
        fh.write(tail)
    return path


def write_big_config_zip(path: Path, source: Path, size_mb: int) -> Path:
    """An exported-model zip of ``source`` whose config.json holds a ``size_mb`` MB description."""
    head, tail = _config_with_description(source)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name in BESIDE_CONFIG:
            zf.write(source / name, f"big/{name}")
        with zf.open(f"big/{CONFIG_FILE}", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(size_mb):
                member.write(b"a" * MB)
            member.write(tail)
    return path


def install_big_config_model(source: Path, size_mb: int) -> Path:
    """A user model named "big" whose config.json holds a ``size_mb`` MB description (as an older app imported it)."""
    folder = user_models_dir() / "big"
    folder.mkdir(parents=True)
    for name in BESIDE_CONFIG:
        shutil.copyfile(source / name, folder / name)
    write_big_config(folder / CONFIG_FILE, source, size_mb)
    return folder


def refusal_cost(code: str, tmp: Path) -> tuple[float, float]:
    """Peak RSS (MB) and seconds of a fresh process running ``code``, which must time itself into ``took``."""
    took = tmp / "seconds.txt"
    peak = peak_rss_mb(f"took = {str(took)!r}\n" + textwrap.dedent(code), limit_mb=4096)
    seconds = float(took.read_text())
    took.unlink()
    return peak, seconds


def import_refusal_cost(archive: Path, tmp: Path) -> tuple[float, float]:
    """What refusing ``archive`` costs a fresh ``models import``: peak MB and seconds."""
    return refusal_cost(
        f"""
        import time
        from translator_app.core.model_store import ModelStoreError, import_model
        start = time.perf_counter()
        try:
            import_model({str(archive)!r})
        except ModelStoreError as exc:
            assert "config.json" in str(exc), exc
        else:
            raise SystemExit("imported")
        open(took, "w").write(str(time.perf_counter() - start))
        """,
        tmp,
    )


def listing_cost(tmp: Path) -> tuple[float, float]:
    """What listing the models costs a fresh process when one has a huge config: peak MB and seconds."""
    return refusal_cost(
        """
        import time
        from translator_app.core.model_store import list_stored
        start = time.perf_counter()
        rows = list_stored()
        assert [r.info.error is not None for r in rows if r.name == "big"] == [True], rows
        open(took, "w").write(str(time.perf_counter() - start))
        """,
        tmp,
    )


def config_bomb_figures(tmp: Path, source: Path, size_mb: int = 1024) -> list[dict]:
    """The figures for ``benchmarks/faults.py``: refusing a ``size_mb`` MB config on import and on listing.

    Sets ``TRANSLATOR_APP_DATA_DIR`` to a folder in ``tmp``, so the model it installs is nobody's.
    """
    archive = write_big_config_zip(tmp / "big.zip", source, size_mb)
    zipped_mb = archive.stat().st_size / MB
    os.environ["TRANSLATOR_APP_DATA_DIR"] = str(tmp / "user-data")
    peak, seconds = import_refusal_cost(archive, tmp)
    archive.unlink()
    figures: list[dict] = [
        {"item": "1", "what": f"import: refusing a {size_mb} MB config.json ({zipped_mb:.1f} MB zipped)", "peak_mb": peak},
        {"item": "1", "what": "import: ... seconds to refuse", "seconds": seconds},
    ]
    folder = install_big_config_model(source, size_mb)
    try:
        peak, seconds = listing_cost(tmp)
    finally:
        shutil.rmtree(folder)
    figures += [
        {"item": "1", "what": f"listing models with a {size_mb} MB config.json installed", "peak_mb": peak},
        {"item": "1", "what": "listing: ... seconds", "seconds": seconds},
    ]
    return figures
