"""Language identification for the "this does not look like German" warning: which library?

    python benchmarks/language_id.py                 # 500 sentences per side and set
    python benchmarks/language_id.py --sentences 2000

Compares maintained, fastText-free detectors on what the app asks of one: is this short input
German, and if not, which language is it? Each gets the same candidate languages
(``core.language_id.CANDIDATES``). Measured, per library:

* install size: the package folder(s) on disk;
* load time: a fresh interpreter that imports it, builds the detector and classifies one sentence
  (median of 3), less the interpreter's own start-up;
* per-sentence time: mean over every sentence classified below;
* accuracy on the dev sets' German side and English side (Tatoeba: short everyday sentences;
  newstest2013: news): German said to be German (a miss here is a false warning) and English said
  to be English (a miss here is a warning not given).

Results: a table on stdout and ``benchmarks/results/language_id.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from translator_app.core.language_id import CANDIDATES
from translator_app.core.readers.splits import SHARED_DATA, read_lines

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED_DATA / "general"
SETS = ("dev_tatoeba", "dev_newstest2013")


def lingua_detector(low_accuracy: bool) -> Callable[[str], str]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in CANDIDATES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def detect(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language is not None else "?"

    return detect


def langid_detector(module: str) -> Callable[[str], str]:
    if module == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    else:
        from langid.langid import LanguageIdentifier, model

        identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))

    def detect(text: str) -> str:
        return str(identifier.classify(text)[0])

    return detect


def app_detector() -> Callable[[str], str]:
    """What the app warns about (core.language_id.foreign_language, with its length and margin rules):
    no warning counts as "de"."""
    from translator_app.core.language_id import GERMAN, foreign_language

    def detect(text: str) -> str:
        guess = foreign_language(text)
        return guess.code if guess is not None else GERMAN

    return detect


LIBRARIES: dict[str, tuple[tuple[str, ...], str, tuple]] = {
    # name: (package folders, the function of this module that builds its detector, its arguments)
    "py3langid 0.4": (("py3langid",), "langid_detector", ("py3langid",)),
    "langid 1.1.6": (("langid",), "langid_detector", ("langid",)),
    "lingua 2.1 (high accuracy)": (("lingua",), "lingua_detector", (False,)),
    "lingua 2.1 (low accuracy)": (("lingua",), "lingua_detector", (True,)),
    "app (core.language_id)": (("py3langid",), "app_detector", ()),
}


def folder_mb(packages: tuple[str, ...]) -> float:
    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        total += sum(f.stat().st_size for f in Path(spec.origin).parent.rglob("*") if f.is_file())
    return total / 1e6


def load_seconds(builder: str, arguments: tuple, runs: int = 3) -> float:
    """A fresh interpreter: import, build, classify one sentence; less a bare interpreter's time."""
    build = f"import language_id as b; d = b.{builder}(*{arguments!r}); d('Ich habe meine Brille im Zug vergessen.')"

    def timed(code: str) -> float:
        start = time.perf_counter()
        # run in benchmarks/, so that ``python -c`` imports this file as ``language_id``
        subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)
        return time.perf_counter() - start

    bare = statistics.median(timed("import language_id") for _ in range(runs))
    return max(0.0, statistics.median(timed(build) for _ in range(runs)) - bare)


def sentences(name: str, side: str, count: int) -> list[str]:
    """The first ``count`` lines of one side of a dev set, stripped, without empty ones."""
    return [line.strip() for line in read_lines(DATA / f"{name}.{side}.gz", count) if line.strip()]


def measure(detect: Callable[[str], str], data: dict[str, dict[str, list[str]]]) -> dict:
    detect("Warm-up sentence.")
    scores: dict[str, float] = {}
    seconds, count = 0.0, 0
    for name, sides in data.items():
        for side, lines in sides.items():
            start = time.perf_counter()
            guesses = [detect(line) for line in lines]
            seconds += time.perf_counter() - start
            count += len(lines)
            scores[f"{name}.{side}"] = sum(g == side for g in guesses) / len(lines)
    return {"accuracy": scores, "ms_per_sentence": 1000 * seconds / count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500, help="per set and side (default 500)")
    args = parser.parse_args()
    data = {name: {side: sentences(name, side, args.sentences) for side in ("de", "en")} for name in SETS}
    rows = []
    for label, (packages, builder, arguments) in LIBRARIES.items():
        detect = globals()[builder](*arguments)
        row = {"library": label, "install_mb": folder_mb(packages), "load_s": load_seconds(builder, arguments)}
        row.update(measure(detect, data))
        rows.append(row)
        print(f"measured {label}", file=sys.stderr)
    columns = [f"{name}.{side}" for name in SETS for side in ("de", "en")]
    header = f"{'library':28} {'MB':>6} {'load s':>7} {'ms/sent':>8} " + " ".join(f"{c:>22}" for c in columns)
    print(header)
    for row in rows:
        accuracy = " ".join(f"{100 * row['accuracy'][c]:21.1f}%" for c in columns)
        print(f"{row['library']:28} {row['install_mb']:6.1f} {row['load_s']:7.2f} {row['ms_per_sentence']:8.3f} {accuracy}")
    out = ROOT / "benchmarks" / "results" / "language_id.json"
    out.write_text(
        json.dumps(
            {
                "candidates": list(CANDIDATES),
                "sentences_per_side": args.sentences,
                "python": sys.version.split()[0],
                "rows": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written {out}")


if __name__ == "__main__":
    main()
