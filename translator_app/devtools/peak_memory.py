"""What one hostile file costs a reader or loader: peak memory and time, measured in a fresh child process.

A child process starts from a clean slate, so its peak RSS is what reading that file costs, not
what this test session happened to allocate before. The tests use these helpers with bounds, and a
table script can call them with the sizes from the issue (a 200 MB line, a gzip that expands to a
1 GB line, a 100 MB run without line ends in a classic-Mac file) to print before/after figures.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import translator_app

__all__ = [
    "baseline_peak_mb",
    "cr_run_seconds",
    "gzip_bomb_line_peak_mb",
    "load_peak_mb",
    "one_line_file_peak_mb",
    "peak_rss_mb",
    "torch_baseline_mb",
    "write_cr_run",
    "write_gzip_bomb_line",
    "write_one_line_pair",
]

MB = 1 << 20
# Children run here, so they import the very translator_app this process did (a checkout, an
# installed copy or an old version put first on PYTHONPATH to measure "before"), not whatever
# copy their working directory happens to hold.
_PACKAGE_PARENT = Path(translator_app.__file__).resolve().parents[1]
SENTENCE = b"Das ist ein sehr langer Satz, der niemals endet. "  # words, as in a real runaway line

_LIMIT_MEMORY = """
import resource as _resource
_resource.setrlimit(_resource.RLIMIT_AS, ({cap}, {cap}))
"""

# The child's own high-water mark. Not ru_maxrss: Linux carries that across exec from the forked
# copy of the parent, so a child of a pytest process that has imported torch would report the
# parent's size. VmHWM belongs to the new program alone; ru_maxrss is the fallback (gui.app.rss_mb).
_REPORT_PEAK = """
from translator_app.gui.app import rss_mb as _rss_mb   # the app's own reader: VmHWM, else ru_maxrss
print(_rss_mb()["peak_rss_mb"])
"""


def _run_child(code: str) -> str:
    """The output of ``code`` run in a fresh Python with one thread; RuntimeError with its stderr if it fails."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=_PACKAGE_PARENT, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"measuring child failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


def peak_rss_mb(code: str, limit_mb: int = 4096) -> float:
    """Run ``code`` in a fresh Python and return its peak resident memory in MB.

    The child prints its peak as its last line of output. Its address space is capped at
    ``limit_mb`` so that an unfixed reader fails with MemoryError instead of waking the machine's
    OOM killer (which may pick another process); a failing child raises RuntimeError with its stderr.
    """
    program = _LIMIT_MEMORY.format(cap=limit_mb * MB) + textwrap.dedent(code) + _REPORT_PEAK
    return float(_run_child(program).split()[-1])


def _runaway_line(size_mb: int) -> bytes:
    """``size_mb`` MB of sentences with no line end, as one block of bytes."""
    repeats = size_mb * MB // len(SENTENCE) + 1
    return (SENTENCE * repeats)[: size_mb * MB]


def write_one_line_pair(tmpdir: str | Path, size_mb: int) -> tuple[Path, Path]:
    """A line-aligned pair: German is one line of ``size_mb`` MB, English one short line."""
    folder = Path(tmpdir).resolve()
    german, english = folder / "runaway.de", folder / "runaway.en"
    block = _runaway_line(1)
    with open(german, "wb") as f:
        for _ in range(size_mb):  # written a MB at a time so the writer stays small too
            f.write(block)
        f.write(b"\n")
    english.write_bytes(b"A short English line.\n")
    return german, english


def write_gzip_bomb_line(tmpdir: str | Path, expanded_mb: int) -> tuple[Path, Path]:
    """A gzipped German file of about a MB per GB that expands to one line of ``expanded_mb`` MB.

    The line is one letter repeated, which deflate packs a thousand to one; the file is many gzip
    members of the same compressed MB (gzip readers join members), so even a 1 GB line is written
    in a moment. English is one short line.
    """
    folder = Path(tmpdir).resolve()
    german, english = folder / "bomb.de.gz", folder / "bomb.en"
    member = gzip.compress(b"a" * MB, compresslevel=9)
    with open(german, "wb") as f:
        for _ in range(expanded_mb):
            f.write(member)
        f.write(gzip.compress(b"\n"))
    english.write_bytes(b"A short English line.\n")
    return german, english


def write_cr_run(tmpdir: str | Path, run_mb: int) -> tuple[Path, Path]:
    """A classic-Mac (CR-only) pair whose German file has a ``run_mb`` MB stretch with no line end."""
    folder = Path(tmpdir).resolve()
    german, english = folder / "mac.de", folder / "mac.en"
    block = _runaway_line(1)
    with open(german, "wb") as f:
        f.write(b"Eins\rZwei\r")
        for _ in range(run_mb):
            f.write(block)
        f.write(b"\rDrei\r")
    english.write_bytes(b"One\rTwo\rA long line\rThree\r")
    return german, english


def _read_pair_code(german: Path, english: Path, expect: str) -> str:
    """Child code that reads the pair and fails unless the report says ``expect``."""
    return f"""
        from translator_app.core.readers import read_parallel
        summary = read_parallel([{str(german)!r}, {str(english)!r}], "aligned").report.summary()
        assert summary == {expect!r}, summary
    """


def _pair_peak_mb(files: tuple[Path, Path], limit_mb: int) -> float:
    """Peak RSS in MB of reading a pair whose German file is one over-long line, then remove it."""
    german, english = files
    try:
        return peak_rss_mb(_read_pair_code(german, english, "0 pairs kept, 1 skipped (1 too long)"), limit_mb)
    finally:
        german.unlink()
        english.unlink()


def one_line_file_peak_mb(tmpdir: str | Path, size_mb: int, limit_mb: int = 4096) -> float:
    """Peak RSS in MB of reading a pair whose German file is one line of ``size_mb`` MB.

    Before the fix a 200 MB line needed 3.3 GB; raise ``limit_mb`` to measure such a reader.
    """
    return _pair_peak_mb(write_one_line_pair(tmpdir, size_mb), limit_mb)


def gzip_bomb_line_peak_mb(tmpdir: str | Path, expanded_mb: int, limit_mb: int = 4096) -> float:
    """Peak RSS in MB of reading a gzip whose single line expands to ``expanded_mb`` MB.

    Before the fix a 1 GB line needed 4.1 GB; raise ``limit_mb`` to measure such a reader.
    """
    return _pair_peak_mb(write_gzip_bomb_line(tmpdir, expanded_mb), limit_mb)


def cr_run_seconds(tmpdir: str | Path, run_mb: int) -> float:
    """Seconds a fresh child spends reading a CR-only pair with a ``run_mb`` MB run without line ends."""
    german, english = write_cr_run(tmpdir, run_mb)
    code = f"""
        import time
        from translator_app.core.readers import read_parallel
        start = time.perf_counter()
        summary = read_parallel([{str(german)!r}, {str(english)!r}], "aligned").report.summary()
        print(time.perf_counter() - start)
        assert summary == "3 pairs kept, 1 skipped (1 too long)", summary
    """
    try:
        return float(_run_child(textwrap.dedent(code)).split()[-1])
    finally:
        german.unlink()
        english.unlink()


def baseline_peak_mb() -> float:
    """Peak RSS in MB of a child that only imports the readers: the floor under every figure above."""
    return peak_rss_mb("import translator_app.core.readers")


def load_peak_mb(folder: Path) -> float:
    """Peak RSS in MB of a fresh process that tries to load the model ``folder`` (refused or not)."""
    return peak_rss_mb(f"""
        from translator_app.core.modelfile import load_model_folder
        from translator_app.core.types.modelformat import ModelFileError
        try:
            load_model_folder({str(folder)!r})
        except ModelFileError:
            pass
    """)


def torch_baseline_mb() -> float:
    """Peak RSS in MB of a child that only imports torch and the model loader: the floor under ``load_peak_mb``."""
    return peak_rss_mb("import torch\nimport translator_app.core.modelfile")
