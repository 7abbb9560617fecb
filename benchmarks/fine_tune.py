"""Fine-tuning as a user does it: what it gains in their domain, what it costs on general German, how long.

    python benchmarks/fine_tune.py [--models general-lstm-de-en general-transformer-de-en] [--modes plain mixed]

For each base model: ``translator-app evaluate`` on the GNOME UI test split (the user's domain: other
applications than the ones trained on), Tatoeba test and newstest2014; then ``translator-app train
UI.de UI.en --name … --base MODEL`` with every shipped default, once with ``--no-mix`` (plain) and
once as shipped (mixed with the base model's replay sample), each timed, and the same three
evaluations of the result. The commands are the ones a user types, in a throw-away data folder.
GNOME strings are GPL: they are measured on here, never shipped. Resumable: a finished step is
kept in the JSON and skipped when the script runs again. Prints a table and writes
benchmarks/results/fine_tune.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from translator_app.cli.decoding import thread_setting
from translator_app.core.readers.splits import SHARED_DATA, read_split

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED_DATA
RESULTS = ROOT / "benchmarks" / "results" / "fine_tune.json"
SETS = {  # column: (German, English)
    "ui_test": ("domain/gnome-ui/test.de.gz", "domain/gnome-ui/test.en.gz"),
    "tatoeba_test": ("general/test_tatoeba.de.gz", "general/test_tatoeba.en.gz"),
    "newstest2014": ("general/test_newstest2014.de.gz", "general/test_newstest2014.en.gz"),
}
MODES = {"plain": ["--no-mix"], "mixed": []}  # mixed: the shipped default


def unpack(stem: str, folder: Path) -> tuple[Path, Path]:
    """The UI train split as two plain files, as a user's memory would be."""
    de_file, en_file = (folder / f"{Path(stem).name}.{side}" for side in ("de", "en"))
    for target, lines in zip((de_file, en_file), read_split(DATA / stem)):
        target.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return de_file, en_file


def cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.CompletedProcess:
    with log.open("a", encoding="utf-8") as f:
        f.write("$ translator-app " + " ".join(args) + "\n")
        done = subprocess.run(
            [sys.executable, "-m", "translator_app", *args], env=env, stdout=subprocess.PIPE, stderr=f, text=True
        )
        f.write(done.stdout)
    if done.returncode:
        raise SystemExit(f"translator-app {' '.join(args)} failed (rc {done.returncode}); see {log}")
    return done


def evaluate(model: str, env: dict[str, str], log: Path, threads: int) -> dict[str, dict]:
    scores = {}
    for name, (src, ref) in SETS.items():
        command = ["evaluate", "--model", model, "--src", str(DATA / src), "--ref", str(DATA / ref), "--json"]
        out = cli([*command, "--threads", str(threads)], env, log)
        report = json.loads(out.stdout.strip().splitlines()[-1])
        scores[name] = {"sacrebleu": round(report["sacrebleu"], 2), "chrf": round(report["chrf"], 2)}
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["general-lstm-de-en", "general-transformer-de-en"])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=list(MODES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/fine-tune-benchmark"))
    parser.add_argument(
        "--threads", type=thread_setting, default=1, help="--threads of each command, 0 = automatic (default %(default)s)"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TRANSLATOR_APP_DATA_DIR": str(args.work / "data")}
    if args.threads:  # the other OpenMP users of each command (0 leaves them theirs)
        env["OMP_NUM_THREADS"] = str(args.threads)
    de, en = unpack("domain/gnome-ui/train", args.work)
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    results["machine"] = {"cpus": os.cpu_count(), "threads": args.threads, "platform": platform.platform()}
    log = args.work / "log.txt"

    def keep() -> None:  # re-read first: a second copy of this script may run beside, for other models
        merged = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        merged.update(results)
        RESULTS.write_text(json.dumps(merged, indent=1) + "\n")

    for model in args.models:
        row = results.setdefault(model, {})
        if "base" not in row:
            row["base"] = evaluate(model, env, log, args.threads)
            keep()
        for mode in args.modes:
            if mode in row:
                continue
            name = f"ui-{model}-{mode}"
            started = time.perf_counter()
            command = ["train", str(de), str(en), "--name", name, "--base", model, *MODES[mode], "--threads", str(args.threads)]
            out = cli(command, env, log)
            seconds = time.perf_counter() - started
            row[mode] = {
                "train_seconds": round(seconds),
                "train_summary": out.stdout.strip(),
                **evaluate(name, env, log, args.threads),
            }
            keep()
    print_table(results)
    return 0


def print_table(results: dict) -> None:
    print(f"{'model':<28} {'run':<7} {'UI test':>13} {'Tatoeba test':>13} {'newstest2014':>13} {'time':>7}")
    for model, row in results.items():
        if model == "machine":
            continue
        for run in ("base", "plain", "mixed"):
            if run not in row:
                continue
            cells = [f"{row[run][s]['sacrebleu']:6.2f}/{row[run][s]['chrf']:5.1f}" for s in SETS]
            took = f"{row[run]['train_seconds'] / 60:5.1f}m" if "train_seconds" in row[run] else ""
            print(f"{model:<28} {run:<7} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13} {took:>7}")


if __name__ == "__main__":
    sys.exit(main())
