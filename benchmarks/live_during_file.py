"""How long the window's own text waits while Translate File runs (issue 29, item 10).

    python benchmarks/live_during_file.py               # 30,000 characters, live request 2 s in, 3 runs
    python benchmarks/live_during_file.py --chars 60000 --runs 5

Drives the translation worker as the window does (``WorkerThread``, offscreen, the shipped default
model): a .txt file job is queued, and ``--after`` seconds into it a one-sentence live request. It
reports how long that sentence took from its request to its translation (on the worker's thread and
as the GUI thread received it), when the file was done, and whether the live answer came before the
file's. Results: a line per run and ``benchmarks/results/live_during_file.json``.

Measured on this 2-core machine with two trainings running (60,000 characters, 3 runs each):
before 294c1b7 the sentence waited for the whole file, median 7.8 s and 12.8 s (two sets; the file
9.9 s and 14.6 s); since, it is translated between the file's batches: median 1.0 s and 0.5 s (the
first time including loading the second instance), the file 13.8 s and 14.1 s, within the noise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Slot  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "live_during_file.json"
SENTENCE = "Ich habe meine Brille im Zug vergessen."
OPTIONS = {"beam_width": 5, "max_length": 80, "length_penalty": 0.6, "n_best": 1}


SENTENCES = [
    "Ein Mann mit einem roten Hut sitzt am Abend allein im Park.",
    "Die Sitzung des Ausschusses wurde auf nächsten Dienstag verschoben, weil der Vorsitzende erkrankt ist.",
    "Zwei Kinder spielen am Strand mit einem großen bunten Ball.",
    "Bitte senden Sie uns die unterschriebenen Unterlagen bis Ende des Monats zurück.",
    "Nach dem Essen gingen wir noch lange am Fluss spazieren und redeten über die Zukunft.",
    "Der Patient klagte über starke Kopfschmerzen und Übelkeit seit drei Tagen.",
    "Eine Frau in einem blauen Kleid liest auf einer Bank ein Buch.",
    "Die Regierung kündigte neue Maßnahmen gegen die steigenden Energiepreise an.",
]


def german_text(chars: int) -> str:
    """Everyday, news and medical German in paragraphs of five sentences, until ``chars`` characters."""
    parts, size, i = [], 0, 0
    while size < chars:
        parts.append(" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(5)))
        size += len(parts[-1]) + 2
        i += 5
    return "\n\n".join(parts)[:chars]


class Receiver(QObject):
    """Notes, on the GUI thread, when the live answer and the file's arrive; quits ``done`` after both."""

    def __init__(self, times: dict[str, float], done) -> None:
        super().__init__()
        self._times, self._done = times, done

    @Slot(object)
    def on_live(self, _result) -> None:
        self._note("live")

    @Slot(object)
    def on_file(self, _result) -> None:
        self._note("file")

    def _note(self, what: str) -> None:
        self._times[what] = time.monotonic()
        if "live" in self._times and "file" in self._times:
            self._done.quit()


def one_run(chars: int, after_s: float) -> dict[str, float | bool]:
    from PySide6.QtCore import Q_ARG, QCoreApplication, QEventLoop, QMetaObject, Qt, QTimer

    from translator_app.gui.translation_messages import FileRequest, TranslationRequest
    from translator_app.gui.worker import WorkerThread

    app = QCoreApplication.instance() or QCoreApplication([])
    host = WorkerThread()
    worker = host.worker
    host.start()
    loop = QEventLoop()
    worker.modelLoaded.connect(lambda _d: loop.quit(), Qt.ConnectionType.QueuedConnection)
    QMetaObject.invokeMethod(
        worker, "loadModel", Qt.ConnectionType.QueuedConnection, Q_ARG(str, ""), Q_ARG(str, "cpu"), Q_ARG(int, 0)
    )
    loop.exec()
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "talk.txt", Path(folder) / "talk.en.txt"
        source.write_text(german_text(chars), encoding="utf-8")
        done = QEventLoop()
        receiver = Receiver(times, done)  # a QObject on this thread: a queued signal to a plain function
        # would be delivered on the worker's thread, after the file job (PySide's context for it is the sender)
        worker.translated.connect(lambda _r: times.setdefault("ready", time.monotonic()), Qt.ConnectionType.DirectConnection)
        worker.translated.connect(receiver.on_live)
        worker.fileTranslated.connect(receiver.on_file)

        def ask_live() -> None:
            times["asked"] = time.monotonic()
            worker.submit(TranslationRequest(2, SENTENCE, OPTIONS))

        times["start"] = time.monotonic()
        worker.submit_file(FileRequest(1, source, target, OPTIONS))
        QTimer.singleShot(int(after_s * 1000), ask_live)
        done.exec()
    host.shutdown()
    app.processEvents()
    return {
        "live_wait_s": round(times["live"] - times["asked"], 2),  # asked -> its answer on the GUI thread
        "live_ready_s": round(times["ready"] - times["asked"], 2),  # asked -> translated on the worker thread
        "file_s": round(times["file"] - times["start"], 2),
        "live_before_file": times["live"] < times["file"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=30_000)
    parser.add_argument("--after", type=float, default=2.0, help="seconds into the file job that the live request comes")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for n in range(args.runs):
        runs.append(one_run(args.chars, args.after))
        print(f"run {n + 1}: {runs[-1]}", flush=True)
    summary = {
        "chars": args.chars,
        "after_s": args.after,
        "runs": runs,
        "median_live_wait_s": statistics.median(r["live_wait_s"] for r in runs),
        "median_file_s": statistics.median(r["file_s"] for r in runs),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
