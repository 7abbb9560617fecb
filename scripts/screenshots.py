"""Save screenshots of the real main window (light and dark, alternatives shown) for README.md.

    python scripts/screenshots.py                       # the shipped default model
    python scripts/screenshots.py --model runs/lstm/best
    python scripts/screenshots.py --training-only       # just the Training tab, during a real run
    python scripts/screenshots.py --attention-only --model models/attention-de-en   # the attention view
    python scripts/screenshots.py --confidence-only     # everyday, caption, numbers and nonsense input
    python scripts/screenshots.py --manager-only        # Models → Manage Models…, with one model of your own
    python scripts/screenshots.py --resumed-only        # the Training tab after an unfinished run is resumed
    python scripts/screenshots.py --notes-only          # the default window with two notes and three alternatives
    python scripts/screenshots.py --long-paste-only     # a 32,000-character paste half translated
    python scripts/screenshots.py --bleu-fell-only      # the Training tab after a fine-tune whose validation BLEU fell
    python scripts/screenshots.py --compare-only        # Models → Compare Models… on the shipped models
    python scripts/screenshots.py --history-only        # View → History… after a few translations

Runs on Qt's offscreen platform with an empty, temporary settings folder, drives the window the way
a user would (type, ask for three alternatives, translate) and saves ``QWidget.grab()`` images into
``resources/screenshots/``. The Training tab is shot in the middle of a real fine-tuning run (500
Multi30k pairs from a TSV file, eight short epochs) of the model in use; without ``--model`` (and
with ``--training-only``) that model is a small LSTM trained here first, in a minute or two.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = (
    "Ein Mann mit einem orangefarbenen Hut starrt auf etwas.\n\n"
    "Zwei junge Frauen sitzen auf einer Bank im Park. Ein Hund spielt im Schnee."
)
SIZE = (1180, 660)
ATTENTION_SIZE = (1100, 640)  # the window's default size: a caption's every row shows without scrolling
ATTENTION_SAMPLE = "Ein Mann mit einem orangefarbenen Hut sitzt auf einer Bank und liest eine Zeitung. Ein Hund spielt im Schnee."
ATTENTION_HOVER = "Hut"
NARROW_SIZE = (480, 760)
CONFIDENCE_SAMPLE = (
    "Ich habe meinen Schlüssel verloren. Wie spät ist es? Zwei Hunde spielen im Schnee. "
    "Ein Hund, der 3,5 kg wiegt, läuft 12 km am 3. Oktober 2023. Schreib an info@example.org 😀\n\n"
    "Quabbelig frumpst der Knorzelwicht im Ploppenhain."
)
NONSENSE_SAMPLE = "Quabbelig frumpst der Knorzelwicht im Ploppenhain. Wumpel knarzt die Blisterquaste."
DEFAULT_SIZE = (1100, 640)  # the window's own default size, as at a first start
LONG_PARAGRAPH = " ".join(  # news-like sentences as long as a real article's: 32,000 characters, about 330 sentences
    [
        "Der Stadtrat hat am Dienstagabend beschlossen, die Bibliothek im Zentrum bis zum Frühjahr zu renovieren.",
        "Viele Bürgerinnen und Bürger hatten sich in den vergangenen Monaten über die langen Wartezeiten beschwert.",
        "Die Kosten von rund zwei Millionen Euro sollen zum größten Teil aus Mitteln des Landes getragen werden.",
        "Während der Bauarbeiten können Bücher in einer provisorischen Ausleihstelle am Bahnhof abgeholt werden.",
    ]
)
TRAINING_SIZE = (1280, 800)
BLEU_FELL_DATA = ROOT / "tests" / "data" / "glossary" / "corpus.tsv"  # 114 browser-UI pairs: one epoch loses captions' BLEU
BLEU_FELL_NAME = "general-lstm-de-en-browser-ui"
SCREEN = (1366, 768)  # a laptop's screen: Qt's offscreen one (800 x 800) would cap a dialog's default size
COMPARE_SAMPLE = "Ich habe meine Brille im Zug vergessen. Der Zug hatte zwanzig Minuten Verspätung."
HISTORY_SAMPLES = [
    "Ich habe meine Brille im Zug vergessen.",
    "Zwei Hunde spielen im Schnee.",
    "Die Sitzung wurde auf nächsten Dienstag verschoben, weil der Vorsitzende erkrankt ist.",
    "Ein Mann mit einem orangefarbenen Hut starrt auf etwas.",
]
TRAINING_EPOCHS = 8


def wait_for(signal, timeout_ms: int = 300_000):
    """Run the event loop until ``signal`` fires; returns its arguments."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, got = QEventLoop(), []
    signal.connect(lambda *args: (got.append(args), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    if not got:
        raise TimeoutError(f"no {signal} within {timeout_ms / 1000:.0f} s")
    return got[0]


def settle(ms: int = 300) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def read_multi30k(split: str, start: int, count: int) -> list[tuple[str, str]]:
    from multi30k import read_split  # scripts/multi30k.py, beside this script

    de, en = read_split(split)
    return list(zip(de, en))[start : start + count]


def train_small_model(folder: Path) -> Path:
    """A small LSTM on 4,000 Multi30k pairs: a stand-in for the shipped model to fine-tune."""
    import torch

    from translator_app.core.batching import encode_pairs
    from translator_app.core.modelfile import save_model_folder
    from translator_app.core.types.modelformat import ModelMetadata
    from translator_app.core.models import build_model
    from translator_app.core.models.lstm import LSTMConfig
    from translator_app.core.replay import replay_path, save_replay
    from translator_app.core.text import SubwordVocab
    from translator_app.core.training.trainer import Trainer
    from translator_app.core.types.train_config import TrainConfig

    torch.manual_seed(1)
    pairs = read_multi30k("train", 0, 4000)
    vocab = SubwordVocab.train([s for p in pairs for s in p], vocab_size=1000)
    model = build_model(LSTMConfig(vocab_size=len(vocab), emb_dim=64, hidden_dim=128, num_layers=1, dropout=0.1))
    encoded, _ = encode_pairs(vocab, pairs)
    metadata = ModelMetadata(name="lstm-de-en", description="small LSTM for the screenshots (4,000 Multi30k pairs)")
    config = TrainConfig(epochs=2, batch_size=64, learning_rate=5e-3, warmup_steps=50, checkpoint_every=0, precision="fp32")
    Trainer(model, vocab, encoded, [], config, folder.parent / ".small-run", metadata).fit()
    model.eval()
    save_model_folder(folder, model, vocab, metadata)
    # a replay sample, as the shipped models have: the shot shows a mixed fine-tune and general German measured
    save_replay(replay_path(folder), encoded, read_multi30k("val", 0, 100))
    return folder


def shoot_training_tab(app, window, out: Path, work: Path) -> Path:
    """Fine-tune the model in use on a 500-pair TSV and grab the tab two thirds into the last epoch but one."""
    tab = window.training_tab
    window.resize(*TRAINING_SIZE)
    window.tabs.setCurrentWidget(tab)
    tab.train_overrides.update(precision="fp32", patience=TRAINING_EPOCHS)  # no early stop before the shot
    data = work / "captions.tsv"
    data.write_text("de\ten\n" + "".join(f"{de}\t{en}\n" for de, en in read_multi30k("train", 20_000, 500)), encoding="utf-8")
    settle(3000)  # let the translation worker finish warming up (spaCy) first
    tab.set_data_files([data])
    if wait_for(tab.previewShown)[0] is None:
        raise RuntimeError(f"the preview failed: {window.status.last_error}")
    tab.epochs_spin.setValue(TRAINING_EPOCHS)
    tab.batch_spin.setValue(32)
    tab.lr_spin.setValue(3e-3)  # the small, briefly trained stand-in model takes a bigger step than 3e-4
    tab.estimate()
    wait_for(tab.estimateShown)
    settle()
    return grab_during_run(
        app,
        window,
        out / "training-tab.png",
        tab.start_training,
        lambda per_epoch: per_epoch * (TRAINING_EPOCHS - 2) + per_epoch * 2 // 3,
    )


def grab_during_run(app, window, path: Path, start, at_step) -> Path:
    """Start (or resume) the run, grab the window at the first step ≥ ``at_step(steps per epoch)``,
    and wait for the run to end."""
    tab = window.training_tab
    shot: list[bool] = []

    def maybe_grab(event) -> None:
        info = tab.run_info
        if shot or event.kind != "step" or info is None:
            return
        if event.step >= at_step(info.steps_per_epoch):
            tab.plot.flush()
            app.processEvents()
            shot.append(window.grab().save(str(path)))

    tab.trainEventShown.connect(maybe_grab)
    start()
    wait_for(tab.modelSaved, timeout_ms=1_800_000)
    if not shot or not shot[0]:
        print(tab.log.toPlainText(), file=sys.stderr)
        raise RuntimeError(f"could not write {path}")
    return path


def leave_unfinished_run(work: Path) -> None:
    """A fine-tuning run of the model in use stopped after 3 of 8 epochs, as a closed window leaves it."""
    from translator_app.core.paths import DEFAULT_MODEL
    from translator_app.core.types.train_config import TrainConfig
    from translator_app.core.training.runner import prepare_run
    from translator_app.core.types.run_spec import RunSpec

    data = work / "captions.tsv"
    data.write_text("de\ten\n" + "".join(f"{de}\t{en}\n" for de, en in read_multi30k("train", 20_000, 500)), encoding="utf-8")
    spec = RunSpec(
        name="lstm-de-en-captions",
        data=[str(data)],
        base_model=DEFAULT_MODEL,
        train=TrainConfig(
            epochs=TRAINING_EPOCHS,
            batch_size=32,
            learning_rate=3e-3,
            warmup_steps=15,
            checkpoint_every=5,
            precision="fp32",
            patience=TRAINING_EPOCHS,
        ),
    )
    prepared = prepare_run(spec)
    stop_at = prepared.trainer.batches_per_epoch * 3 + 5
    prepared.trainer.callback = lambda e: e.kind == "step" and e.step == stop_at and prepared.trainer.cancel()
    prepared.trainer.fit()
    prepared.release()


def shoot_resumed_run(app, window, out: Path) -> Path:
    """The Training tab of the next start: the unfinished run resumed, its earlier steps and epochs
    still on the plot, grabbed a third of the way into the epoch after the one it stopped in."""
    tab = window.training_tab
    window.resize(*TRAINING_SIZE)
    window.tabs.setCurrentWidget(tab)
    tab._scanRequested.emit()
    wait_for(tab.runsListed)  # on the GUI thread, once the tab has the runs: it cannot fire before the wait
    settle(500)
    return grab_during_run(
        app, window, out / "training-tab-resumed.png", tab.resume_selected_run, lambda per_epoch: per_epoch * 4 + per_epoch // 3
    )


def shoot_attention_view(app, window, out: Path) -> Path:
    """Translate two sentences with an attention model and hover a German word, as a user would."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent, QTextCursor

    window.resize(*ATTENTION_SIZE)
    window.options_panel.spins["n_best"].setValue(1)
    window.translate_page.source_edit.setPlainText(ATTENTION_SAMPLE)
    window.live.translate()
    result = wait_for(window.translationShown)[0]
    doc = result.alignments[0]
    start, end = doc.source_spans[0][doc.sentences[0].source_words.index(ATTENTION_HOVER)]
    cursor = QTextCursor(window.translate_page.source_edit.document())
    cursor.setPosition((start + end) // 2)
    point = QPointF(window.translate_page.source_edit.cursorRect(cursor).center())
    viewport = window.translate_page.source_edit.viewport()
    app.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseMove,
            point,
            viewport.mapToGlobal(point),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    settle()
    path = out / "attention-view.png"
    if not window.grab().save(str(path)):
        raise RuntimeError(f"could not write {path}")
    return path


def shoot_confidence(app, window, out: Path) -> list[Path]:
    """Everyday text, a caption, protected spans and one nonsense sentence (underlined); then
    nonsense alone, which brings up the out-of-domain notice."""
    shots = []
    window.translate_page.as_you_type_check.setChecked(False)
    for sample, name in ((CONFIDENCE_SAMPLE, "confidence"), (NONSENSE_SAMPLE, "out-of-domain")):
        window.translate_page.source_edit.setPlainText(sample)
        window.live.translate()
        result = wait_for(window.translationShown)[0]
        for c in result.confidence:
            print(f"{c.level.value:6} {c.score:6.2f}  {c.text}", file=sys.stderr)
        settle()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        shots.append(path)
    return shots


def paste_over(app, window, text: str) -> None:
    """Select all and paste with the keyboard into the German pane, as a user does."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    edit = window.translate_page.source_edit
    app.clipboard().setText(text)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def shoot_notes(app, window, out: Path) -> Path:
    """The default window size with two notes (the length limit and unfamiliar text) and three
    alternatives: the notes take one line, the output and the list keep their room."""
    window.resize(*DEFAULT_SIZE)
    window.translate_page.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    window.options_panel.spins["max_length"].setValue(8)  # short enough to cut a sentence: the length-limit note
    paste_over(app, window, NONSENSE_SAMPLE)
    window.live.translate()
    result = wait_for(window.translationShown)[0]
    print(f"notes: {window.translate_page.target.notice.notes}", file=sys.stderr)
    if not (result.truncated and result.out_of_domain):
        raise RuntimeError("the sample no longer brings up both notes")
    settle()
    path = out / "notes.png"
    window.grab().save(str(path))
    return path


def shoot_long_paste(app, window, out: Path) -> Path:
    """A short text translated, then 32,000 characters pasted over it: grabbed half way, when the
    finished sentences of the new text are in the output (and nothing of the old one)."""
    window.resize(*DEFAULT_SIZE)
    window.translate_page.as_you_type_check.setChecked(True)
    paste_over(app, window, ATTENTION_SAMPLE)
    wait_for(window.translationShown)
    text = "\n\n".join([LONG_PARAGRAPH] * (32_000 // (len(LONG_PARAGRAPH) + 2)))
    path = out / "long-paste.png"
    shot: list[bool] = []

    def at_half(_request: int, done: int, total: int) -> None:
        if not shot and done * 2 >= total:
            app.processEvents()  # the partial translation that came before this progress, painted
            shot.append(window.grab().save(str(path)))
            print(f"long paste: grabbed at {done} of {total}", file=sys.stderr)

    window.translationProgress.connect(at_half)
    paste_over(app, window, text)
    wait_for(window.translationShown, timeout_ms=900_000)
    if not shot or not shot[0]:
        raise RuntimeError(f"could not write {path}")
    return path


def shoot_model_manager(app, window, out: Path, work: Path) -> Path:
    """The model manager with one user model: the default model exported and imported again under a
    new name, exactly as a user would copy a model from another machine."""
    from translator_app.core import model_store
    from translator_app.core.paths import DEFAULT_MODEL

    archive = model_store.export_model(DEFAULT_MODEL, work / "exported.zip")
    model_store.import_model(archive, "Meine Übersetzungen")  # a name with a space and an umlaut, as allowed
    dialog = window.model_selector.show_manager()  # at its own default size, on a SCREEN-sized screen
    rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    dialog.table.selectRow(rows.index("Meine Übersetzungen"))
    settle()
    path = out / "model-manager.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def shoot_bleu_fell(app, window, out: Path) -> Path:
    """The Training tab after one epoch of fine-tuning the default model on 114 browser-UI pairs: its
    validation BLEU falls below the base's, and the tab says so (about 20 s of training here)."""
    tab = window.training_tab
    window.tabs.setCurrentWidget(tab)
    window.resize(*DEFAULT_SIZE)
    tab.set_data_files([str(BLEU_FELL_DATA)])
    wait_until(lambda: tab.form.data.preview is not None and tab.start_button.isEnabled(), 120)
    tab.epochs_spin.setValue(1)
    tab.lr_spin.setValue(0.0003)
    if tab.mix_check.isChecked():
        tab.mix_check.click()
    tab.name_edit.setText(BLEU_FELL_NAME)
    finished = []
    tab.runFinished.connect(finished.append)
    tab.start_training()
    wait_until(lambda: bool(finished) and tab.state.value == "idle", 900)
    if not finished[0].fall_warning:
        print("note: validation BLEU did not fall this time; the shot shows a run that kept its gain", file=sys.stderr)
    tab.log.verticalScrollBar().setValue(tab.log.verticalScrollBar().maximum())
    settle(500)
    path = out / "training-bleu-fell.png"
    window.grab().save(str(path))
    return path


def wait_until(condition, seconds: float) -> None:
    """Run the event loop until ``condition()`` holds."""
    import time

    from PySide6.QtCore import QCoreApplication, QEventLoop

    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError(f"not within {seconds:.0f} s")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def shoot_compare(app, window, out: Path) -> Path:
    """Models → Compare Models… with every shipped model ticked, after comparing a two-sentence text."""
    window.translate_page.source_edit.setPlainText(COMPARE_SAMPLE)
    dialog = window.model_selector.show_compare(COMPARE_SAMPLE)
    dialog.start()
    wait_for(dialog.comparisonShown, 600_000)
    settle(500)
    path = out / "compare-models.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def shoot_history(app, window, out: Path) -> Path:
    """View → History… after a few translations, the newest selected."""
    window.translate_page.as_you_type_check.setChecked(False)
    for text in HISTORY_SAMPLES:
        window.translate_page.source_edit.setPlainText(text)
        window.live.translate()
        wait_for(window.translationShown)
    dialog = window.exchange.show_history()
    settle(500)
    path = out / "history.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def laptop_screen(folder: Path) -> str:
    """Qt's offscreen platform with one SCREEN-sized screen (its ``configfile`` option; it has no size option)."""
    import json

    config = folder / "screen.json"
    width, height = SCREEN
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "logicalBaseDpi": 96}
    config.write_text(json.dumps({"screens": [{**screen, "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model folder to show (default: the shipped default model)")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--training-only", action="store_true", help="only the Training tab (during a real run)")
    parser.add_argument("--no-training", action="store_true", help="skip the Training tab (its run takes minutes)")
    parser.add_argument("--attention-only", action="store_true", help="only the attention view (needs a model with attention)")
    parser.add_argument("--confidence-only", action="store_true", help="only the confidence marks and the out-of-domain notice")
    parser.add_argument("--manager-only", action="store_true", help="only the model manager")
    parser.add_argument("--notes-only", action="store_true", help="only the default window with two notes")
    parser.add_argument("--long-paste-only", action="store_true", help="only a 32,000-character paste half translated")
    parser.add_argument("--bleu-fell-only", action="store_true", help="only the Training tab after a fine-tune whose BLEU fell")
    parser.add_argument("--compare-only", action="store_true", help="only Models → Compare Models… on the shipped models")
    parser.add_argument("--history-only", action="store_true", help="only View → History… after a few translations")
    parser.add_argument(
        "--resumed-only",
        action="store_true",
        help="only the Training tab after an unfinished run is resumed (trains first, minutes)",
    )
    args = parser.parse_args(argv)

    tmp = tempfile.TemporaryDirectory(prefix="translator-shots-")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if (args.manager_only or args.compare_only) and os.environ["QT_QPA_PLATFORM"] == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = laptop_screen(Path(tmp.name))  # a dialog's default size is capped by the screen's
    import torch

    torch.set_num_threads(1)  # small models: one thread is faster than two that wait on each other
    os.environ["TRANSLATOR_APP_CONFIG_DIR"] = str(Path(tmp.name) / "config")
    os.environ["TRANSLATOR_APP_DATA_DIR"] = str(Path(tmp.name) / "data")
    from translator_app.core.paths import DEFAULT_MODEL

    if args.model is not None:
        shipped = Path(tmp.name) / "shipped"
        shipped.mkdir()
        # a shipped model (and the attention view's) is shown under its own name, so the picker and
        # the status bar agree; a run's best/ stands in for the default model
        own_name = args.attention_only or args.model.resolve().parent == ROOT / "models"
        name = args.model.resolve().name if own_name else DEFAULT_MODEL
        (shipped / name).symlink_to(args.model.resolve(), target_is_directory=True)
        os.environ["TRANSLATOR_APP_SHIPPED_MODELS"] = str(shipped)
        if name != DEFAULT_MODEL:
            from translator_app.gui.settings import Key, Settings

            Settings().set(Key.MODEL, name)
    elif args.training_only or args.resumed_only:
        shipped = Path(tmp.name) / "shipped"
        print("training a small model to fine-tune…", file=sys.stderr)
        train_small_model(shipped / DEFAULT_MODEL)
        os.environ["TRANSLATOR_APP_SHIPPED_MODELS"] = str(shipped)
        if args.resumed_only:
            print("leaving an unfinished run to resume…", file=sys.stderr)
            leave_unfinished_run(Path(tmp.name))

    from PySide6.QtCore import Qt

    from translator_app.gui.app import create_application
    from translator_app.gui.main_window import MainWindow
    from translator_app.gui.theme import set_color_scheme

    app = create_application([sys.argv[0]])
    window = MainWindow()
    window.errorReported.connect(lambda message: print(f"error: {message}", file=sys.stderr))
    window.resize(*(ATTENTION_SIZE if args.attention_only else SIZE))  # the attention panel takes its room on first show
    window.show()
    wait_for(window.modelReady)
    args.out.mkdir(parents=True, exist_ok=True)
    single = {
        "attention_only": lambda: shoot_attention_view(app, window, args.out),
        "confidence_only": lambda: shoot_confidence(app, window, args.out),
        "manager_only": lambda: shoot_model_manager(app, window, args.out, Path(tmp.name)),
        "notes_only": lambda: shoot_notes(app, window, args.out),
        "long_paste_only": lambda: shoot_long_paste(app, window, args.out),
        "bleu_fell_only": lambda: shoot_bleu_fell(app, window, args.out),
        "compare_only": lambda: shoot_compare(app, window, args.out),
        "history_only": lambda: shoot_history(app, window, args.out),
        "training_only": lambda: shoot_training_tab(app, window, args.out, Path(tmp.name)),
        "resumed_only": lambda: shoot_resumed_run(app, window, args.out),
    }
    chosen = next((shoot for flag, shoot in single.items() if getattr(args, flag)), None)
    if chosen is not None:  # one screen only
        try:
            shot = chosen()
        finally:
            window.close()
        for path in shot if isinstance(shot, list) else [shot]:
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        return 0
    window.translate_page.as_you_type_check.setChecked(False)
    window.options_panel.spins["n_best"].setValue(3)
    window.options_panel.spins["no_repeat_ngram_size"].setValue(3)
    window.translate_page.source_edit.setPlainText(SAMPLE)
    window.live.translate()
    wait_for(window.translationShown)
    window.translate_page.target.alternatives.item(0).setSelected(True)

    shots = []
    for scheme, name in ((Qt.ColorScheme.Light, "light"), (Qt.ColorScheme.Dark, "dark")):
        set_color_scheme(app, scheme)
        settle()
        path = args.out / f"main-window-{name}.png"
        if not window.grab().save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        shots.append(path)

    set_color_scheme(app, Qt.ColorScheme.Light)
    for _ in range(3):  # narrow, as a drag: the options move below, the panes stack, it narrows on
        window.resize(*NARROW_SIZE)
        settle()
    path = args.out / "main-window-narrow.png"
    window.grab().save(str(path))
    shots.append(path)

    if not args.no_training:
        shots.append(shoot_training_tab(app, window, args.out, Path(tmp.name)))

    window.close()
    for path in shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
