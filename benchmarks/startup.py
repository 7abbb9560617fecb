"""Start-up and quit benchmark of the desktop app: time to window shown and to first translation, RSS, and quit time.

    python benchmarks/startup.py                    # the shipped default model, 5 launches
    python benchmarks/startup.py --model runs/lstm/best --runs 7
    python benchmarks/startup.py --engines auto pytorch   # the default: what users get, and PyTorch beside it

Each launch is a new process started the way users start the app (``python -m translator_app``
with no arguments, i.e. the ``translator-app`` entry point, with ``TRANSLATOR_APP_BENCHMARK=1``)
and a fresh, empty settings folder, so nothing is remembered between launches. The app prints wall-clock
timestamps (window shown, model loaded, first translation on screen) and its resident memory,
then quits; times here are measured from just before the process is spawned, so interpreter
start-up and imports are included. The OS file cache is warm after the first launch: the first
launch is reported separately, the medians are over all launches. Without a display, Qt's
offscreen platform is used (no compositor, so "shown" means shown and painted by Qt).

Quitting is timed from the moment the app asks its window to close to the moment the process is
gone (the threads stopped or left, the settings written): ``quit_s`` on the launches above, which
quit idle (2 s after the first translation, its warm-ups over), and ``quit_translating_s`` on as
many more launches that quit 1 s into translating 300 long sentences (``--quit-runs`` sets how many).

Each engine of ``--engines`` (``TRANSLATOR_APP_ENGINE`` in the launched app: "auto" takes the NumPy
engine for the default model, "pytorch" today's path) gets its own launches in the same run.

Results: a table on stdout and ``benchmarks/results/startup.json`` (the first engine's figures at the
top level, every engine's under "engines").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translator_app.core.engine_choice import ENGINE_ENV

ROOT = Path(__file__).resolve().parents[1]

GOALS = {"window_shown_s": 1.5, "first_translation_s": 4.0, "rss_mb": 600.0, "quit_s": 1.0, "quit_translating_s": 2.0}


def launch(
    model_dir: Path | None, platform_name: str | None, timeout: float, quit_mode: str = "idle", engine: str = "auto"
) -> dict:
    with tempfile.TemporaryDirectory(prefix="translator-bench-") as tmp:
        env = {
            **os.environ,
            "TRANSLATOR_APP_CONFIG_DIR": str(Path(tmp) / "config"),
            "TRANSLATOR_APP_DATA_DIR": str(Path(tmp) / "data"),
            "PYTHONPATH": str(ROOT),
        }
        if platform_name:
            env["QT_QPA_PLATFORM"] = platform_name
        if model_dir is not None:
            from translator_app.core.paths import DEFAULT_MODEL

            shipped = Path(tmp) / "shipped"
            shipped.mkdir()
            (shipped / DEFAULT_MODEL).symlink_to(model_dir.resolve(), target_is_directory=True)
            env["TRANSLATOR_APP_SHIPPED_MODELS"] = str(shipped)
        t0 = time.time()
        env["TRANSLATOR_APP_BENCHMARK"] = "1"
        env["TRANSLATOR_APP_BENCHMARK_QUIT"] = quit_mode
        env[ENGINE_ENV] = engine
        proc = subprocess.run(
            [sys.executable, "-m", "translator_app"], cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout
        )
        ended = time.time()
        wall = ended - t0
    report = None
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == "benchmark":
                report = event
    if report is None or report.get("status") != "ok":
        detail = report.get("status") if report else proc.stderr.strip()[-1500:]
        raise RuntimeError(f"launch failed (exit {proc.returncode}): {detail}")
    return {
        "window_shown_s": report["window_shown"] - t0,
        "model_loaded_s": report["model_loaded"] - t0,
        "first_translation_s": report["first_translation"] - t0,
        "translation_s": report["translation_seconds"],
        "rss_mb": report["rss_mb"],
        "peak_rss_mb": report["peak_rss_mb"],
        "process_wall_s": wall,
        "quit_s": ended - report["quit_requested"],  # window closed → process gone (threads joined, exit)
        "torch_imported_at_show": report["torch_imported_at_show"],
        "torch_imported_at_first_translation": report.get("torch_imported_at_first_translation"),
        "language_id_loaded_at_first_translation": report.get("language_id_loaded_at_first_translation"),
        "model": report["model"],
        "device": report["device"],
    }


def machine() -> dict:
    import PySide6

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyside6": PySide6.__version__,
    }
    with contextlib.suppress(AttributeError, OSError):  # no load average on Windows
        info["load_average_1m"] = os.getloadavg()[0]
    try:
        import torch

        info["torch"] = torch.__version__
    except ImportError:
        pass
    return info


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="process launches (default 5)")
    parser.add_argument(
        "--quit-runs", type=int, default=None, help="launches that quit mid-translation (default: as many as --runs)"
    )
    parser.add_argument("--model", type=Path, help="model folder to use as the default model (default: the shipped one)")
    parser.add_argument(
        "--platform", default=None, help="QT_QPA_PLATFORM for the launches (default: offscreen when there is no display)"
    )
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["auto", "pytorch"],
        help="engines to launch with, in one run (TRANSLATOR_APP_ENGINE; default: auto, i.e. what users get, and pytorch)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.json")
    args = parser.parse_args(argv)

    if args.model is None:
        from translator_app.core.catalog import find_model
        from translator_app.core.types.modelformat import ModelFileError

        try:
            find_model(None)
        except ModelFileError as exc:
            print(f"{exc}\nTrain/publish the shipped model first, or pass --model FOLDER.", file=sys.stderr)
            return 2
    elif not (args.model / "config.json").is_file():
        print(f"{args.model}: not a model folder", file=sys.stderr)
        return 2
    platform_name = args.platform
    if (
        platform_name is None
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        and sys.platform.startswith("linux")
    ):
        platform_name = "offscreen"

    results = {engine: measure_engine(engine, args, platform_name) for engine in args.engines}
    first = results[args.engines[0]]
    print()
    print(f"{'engine':<10}" + "".join(f"{k:>22}" for k in TABLE_KEYS))
    for engine, result in results.items():
        cells = [fmt_value(k, result["summary"][k]["median"]) if k in result["summary"] else "–" for k in TABLE_KEYS]
        print(f"{engine:<10}" + "".join(f"{c:>22}" for c in cells))
    print("(medians; the first engine's goals are those above)")

    write_json(
        args.out,
        {
            "benchmark": "startup",
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "launches": args.runs,
            "launches_quitting_mid_translation": len(first["runs_quitting_mid_translation"]),
            "qt_platform": platform_name or "default",
            "model": first["runs"][0]["model"],
            "model_folder": str(args.model) if args.model else "shipped default",
            "device": first["runs"][0]["device"],
            "machine": machine(),
            **{k: first[k] for k in ("summary", "goals", "runs", "runs_quitting_mid_translation")},  # the first engine's
            "engines": results,
        },
    )
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if all(g["met"] for g in first["goals"].values()) else 1


TABLE_KEYS = ["window_shown_s", "first_translation_s", "rss_mb", "peak_rss_mb", "quit_s", "quit_translating_s"]


def fmt_value(key: str, value: float) -> str:
    return f"{value:.0f} MB" if key.endswith("mb") else f"{value:.2f} s"


def measure_engine(engine: str, args, platform_name: str | None) -> dict:
    """``args.runs`` launches quitting idle and ``--quit-runs`` quitting mid-translation, with ``engine``."""
    runs = []
    for i in range(args.runs):
        run = launch(args.model, platform_name, args.timeout, engine=engine)
        runs.append(run)
        print(
            f"launch {i + 1}/{args.runs}: window {run['window_shown_s']:.2f} s, "
            f"first translation {run['first_translation_s']:.2f} s, RSS {run['rss_mb']:.0f} MB",
            flush=True,
        )

    busy_runs = []
    for i in range(args.runs if args.quit_runs is None else args.quit_runs):
        run = launch(args.model, platform_name, args.timeout, quit_mode="translating", engine=engine)
        busy_runs.append(run)
        print(f"launch {i + 1} quitting mid-translation: quit {run['quit_s']:.2f} s", flush=True)

    keys = ["window_shown_s", "model_loaded_s", "first_translation_s", "translation_s", "rss_mb", "peak_rss_mb", "quit_s"]
    keys += ["quit_translating_s"] if busy_runs else []
    series = {k: [r[k] for r in runs] for k in keys if k != "quit_translating_s"}
    if busy_runs:
        series["quit_translating_s"] = [r["quit_s"] for r in busy_runs]
    summary = {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "first_launch": v[0]} for k, v in series.items()}
    goals = {
        k: {"goal": g, "median": summary[k]["median"], "met": summary[k]["median"] <= g} for k, g in GOALS.items() if k in summary
    }

    print()
    print(
        f"engine {engine}: model {runs[0]['model']} on {runs[0]['device']}, {args.runs} launches (+{len(busy_runs)} quitting "
        f"mid-translation), platform {platform_name or 'default'}"
    )
    print(f"{'measure':<22}{'median':>10}{'min':>10}{'max':>10}{'1st':>10}{'goal':>10}")
    for k in keys:
        unit = "MB" if k.endswith("mb") else "s"
        fmt = (lambda v: f"{v:.0f}") if unit == "MB" else (lambda v: f"{v:.2f}")
        goal = f"≤ {GOALS[k]:g}" if k in GOALS else ""
        s = summary[k]
        print(f"{k:<22}{fmt(s['median']):>10}{fmt(s['min']):>10}{fmt(s['max']):>10}{fmt(s['first_launch']):>10}{goal:>10}")
    print(f"torch imported before the window showed: {any(r['torch_imported_at_show'] for r in runs)}")
    print(f"torch imported at the first translation: {any(r['torch_imported_at_first_translation'] for r in runs)}")
    print(
        f"language detector loaded before the first translation: {any(r['language_id_loaded_at_first_translation'] for r in runs)}"
    )

    return {"summary": summary, "goals": goals, "runs": runs, "runs_quitting_mid_translation": busy_runs}


if __name__ == "__main__":
    raise SystemExit(main())
