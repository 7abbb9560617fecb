"""The fault-injection suite as a table: every case, its test(s) and its outcome, with peak memory.

    python benchmarks/faults.py              # all cases, slow ones included, and the memory figures
    python benchmarks/faults.py --no-memory  # the table only

Every test marked ``@pytest.mark.fault(item, case)`` is a case (``item`` is the number of the
defect in the fault-injection report, or "guarantee" for what already held: no pickle executed,
no XML entity expanded, kill -9 never leaving a half-written model, resume identity, shipped
models never modified). The memory figures are peak RSS of fresh child processes that read or
load one hostile file. Prints a Markdown table and writes benchmarks/results/faults.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pytest

from translator_app.core.readers.splits import SHARED_DATA, read_split
from translator_app.devtools import peak_memory
from translator_app.devtools.config_bomb import config_bomb_figures

ROOT = Path(__file__).resolve().parents[1]


class _Cases:
    """A pytest plugin that keeps each fault test's (item, case) and outcome."""

    def __init__(self) -> None:
        self.case_of: dict[str, tuple[str, str]] = {}
        self.outcome: dict[str, str] = {}
        self.seconds: dict[str, float] = defaultdict(float)

    def pytest_collection_modifyitems(self, items) -> None:
        for item in items:
            marker = item.get_closest_marker("fault")
            if marker is not None:
                self.case_of[item.nodeid] = (str(marker.args[0]), str(marker.args[1]))

    def pytest_runtest_logreport(self, report) -> None:
        if report.nodeid not in self.case_of:
            return
        self.seconds[report.nodeid] += report.duration
        if report.failed:
            self.outcome[report.nodeid] = "FAILED"
        elif report.when == "call" or report.skipped:
            self.outcome.setdefault(report.nodeid, "skipped" if report.skipped else "passed")


def run_cases() -> list[dict]:
    plugin = _Cases()
    pytest.main(["-q", "-p", "no:cacheprovider", "-m", "fault", str(ROOT / "tests")], plugins=[plugin])
    rows: dict[tuple[str, str], dict] = {}
    for nodeid, (item, case) in plugin.case_of.items():
        row = rows.setdefault((item, case), {"item": item, "case": case, "tests": [], "outcomes": [], "seconds": 0.0})
        row["tests"].append(nodeid.split("::", 1)[1])
        row["outcomes"].append(plugin.outcome.get(nodeid, "not run"))
        row["seconds"] += plugin.seconds[nodeid]
    for row in rows.values():
        bad = [o for o in row["outcomes"] if o != "passed"]
        row["outcome"] = "pass" if not bad else ", ".join(sorted(set(bad)))
    # items are numbers, or "28.4" for item 4 of issue 28
    number = lambda item: tuple(int(p) for p in item.split(".")) if item.replace(".", "").isdigit() else (0,)  # noqa: E731
    order = lambda r: (r["item"] == "guarantee", number(r["item"]), r["case"])  # noqa: E731
    return sorted(rows.values(), key=order)


def write_big_tsv(path: Path, size_mb: int) -> int:
    """A TSV of ``size_mb`` MB of distinct everyday pairs (Tatoeba, numbered so none is a duplicate)."""
    de, en = read_split(SHARED_DATA / "general" / "train_tatoeba")
    pairs = [(g.strip(), e.strip()) for g, e in zip(de, en)]
    written = lines = 0
    with path.open("w", encoding="utf-8") as out:
        while written < size_mb << 20:
            german, english = pairs[lines % len(pairs)]
            row = f"{german} ({lines})\t{english} ({lines})\n"
            out.write(row)
            written += len(row.encode("utf-8"))
            lines += 1
    return lines


def training_start_peak_mb(tmp: str, size_mb: int) -> tuple[float, int]:
    """Peak RSS of a fresh process from reading a ``size_mb`` MB TSV to the first training step."""
    tsv = Path(tmp) / "big.tsv"
    lines = write_big_tsv(tsv, size_mb)
    os.environ["TRANSLATOR_APP_DATA_DIR"] = str(Path(tmp) / "user-data")
    try:
        return peak_memory.peak_rss_mb(f"""
            from translator_app.core.paths import DEFAULT_MODEL
            from translator_app.core.types.train_config import TrainConfig
            from translator_app.core.types.run_spec import RunSpec
            from translator_app.core.training.runner import prepare_run

            class Started(Exception):
                pass

            def first_step(event):
                if event.kind == "step":
                    raise Started
            spec = RunSpec(name="big", data=[{str(tsv)!r}], base_model=DEFAULT_MODEL,
                           train=TrainConfig(epochs=1, batch_size=64, checkpoint_every=0))
            prepared = prepare_run(spec, callback=first_step)
            try:
                prepared.trainer.fit()
            except Started:
                pass
        """), lines
    finally:
        tsv.unlink()


def memory_figures(training_mb: int = 200) -> list[dict]:
    """Peak RSS (MB) of reading or loading the issue's hostile files, each in a fresh process."""
    from translator_app.core.catalog import find_model
    from translator_app.core.modelfile import update_config_fields
    from translator_app.core.paths import DEFAULT_MODEL

    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        figures.append({"item": "5", "what": "reading: baseline (imports only)", "peak_mb": peak_memory.baseline_peak_mb()})
        figures.append(
            {"item": "5", "what": "reading a 200 MB one-line file", "peak_mb": peak_memory.one_line_file_peak_mb(tmp, 200)}
        )
        figures.append(
            {
                "item": "5",
                "what": "reading a 1 MB .gz that expands to one 1 GB line",
                "peak_mb": peak_memory.gzip_bomb_line_peak_mb(tmp, 1024),
            }
        )
        figures.append(
            {
                "item": "14",
                "what": "reading a CR-ended file with a 100 MB run (seconds, not MB)",
                "seconds": peak_memory.cr_run_seconds(tmp, 100),
            }
        )
        if training_mb:
            peak, lines = training_start_peak_mb(tmp, training_mb)
            figures.append(
                {
                    "item": "5",
                    "what": f"training on a {training_mb} MB TSV ({lines:,} pairs), up to its first step",
                    "peak_mb": peak,
                }
            )
        figures += config_bomb_figures(Path(tmp), find_model(DEFAULT_MODEL))
        figures.append({"item": "4", "what": "loading: baseline (torch imported)", "peak_mb": peak_memory.torch_baseline_mb()})
        source = find_model(DEFAULT_MODEL)
        hyper_key = (
            "dec_hidden_dim"
            if "dec_hidden_dim" in json.loads((source / "config.json").read_text())["hyperparameters"]
            else "hidden_dim"
        )
        for size in (8192, 16384):
            folder = Path(tmp) / f"m{size}"
            shutil.copytree(source, folder)
            hyper = json.loads((folder / "config.json").read_text(encoding="utf-8"))["hyperparameters"]
            update_config_fields(folder, hyperparameters={**hyper, hyper_key: size})
            figures.append(
                {
                    "item": "4",
                    "what": f"refusing a {DEFAULT_MODEL} whose config says {hyper_key} {size}",
                    "peak_mb": peak_memory.load_peak_mb(folder),
                }
            )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory figures")
    parser.add_argument(
        "--training-mb",
        type=int,
        default=200,
        help="size of the TSV whose training start is measured (0: skip; 200 takes minutes)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "faults.json")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    rows = run_cases()
    figures = [] if args.no_memory else memory_figures(args.training_mb)

    print("\n| item | case | tests | outcome | s |\n|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['item']} | {row['case']} | {len(row['tests'])} | {row['outcome']} | {row['seconds']:.1f} |")
    if figures:
        print("\n| item | measured | peak RSS (MB) / time |\n|---|---|---|")
        for f in figures:
            value = f"{f['peak_mb']:.0f} MB" if "peak_mb" in f else f"{f['seconds']:.2f} s"
            print(f"| {f['item']} | {f['what']} | {value} |")
    passed = sum(row["outcome"] == "pass" for row in rows)
    print(f"\n{passed} of {len(rows)} cases pass ({time.perf_counter() - started:.0f} s)")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"cases": rows, "memory": figures}, indent=2) + "\n", encoding="utf-8")
    return 0 if passed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
