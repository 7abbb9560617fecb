"""Confidence: a per-sentence score from the model's own log-probabilities, thresholds fitted on
dev data, and the marks the user sees in the window and the CLI."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from translator_app.core.confidence import fit_thresholds, looks_out_of_domain, measure, sentence_score
from translator_app.core.types.confidence import DEFAULT_THRESHOLDS, Confidence, ConfidenceThresholds


def test_levels_and_scores():
    t = ConfidenceThresholds(low=-1.0, high=-0.4)
    assert [t.level(x) for x in (-2.0, -1.0, -0.5, -0.4, 0.0)] == [
        Confidence.LOW,
        Confidence.MEDIUM,
        Confidence.MEDIUM,
        Confidence.HIGH,
        Confidence.HIGH,
    ]
    assert sentence_score([-0.5, -1.5]) == -1.0
    assert sentence_score([]) == -math.inf and t.level(sentence_score([])) is Confidence.LOW
    assert ConfidenceThresholds.from_metadata({"low": -1, "high": -0.3}) == ConfidenceThresholds(-1.0, -0.3)
    for broken in (None, {}, {"low": "x", "high": 1}, {"low": 0, "high": -1}, {"low": float("nan"), "high": 0}):
        assert ConfidenceThresholds.from_metadata(broken) is DEFAULT_THRESHOLDS
    assert looks_out_of_domain([Confidence.LOW, Confidence.LOW, Confidence.HIGH])
    assert not looks_out_of_domain([Confidence.LOW, Confidence.HIGH]) and not looks_out_of_domain([])


def test_fitted_thresholds_separate_good_from_bad_sentences():
    rng = random.Random(0)
    scores = [rng.uniform(-3.0, 0.0) for _ in range(2000)]
    chrfs = [max(0.0, min(100.0, 100 + 33 * s + rng.gauss(0, 8))) for s in scores]  # chrF 40 at about -1.8, 60 at -1.2
    t = fit_thresholds(scores, chrfs)
    assert -2.1 < t.low < -1.5 and -1.5 < t.high < -0.9
    report = measure(scores, chrfs, t)
    assert report.pearson > 0.9 and report.spearman > 0.9
    assert report.worst_decile_flagged > 0.9  # the worst tenth is flagged
    assert 0.33 < report.flagged < 0.47  # chrF < 40 below about -1.8: 40% of [-3, 0]
    noise = measure(scores, [rng.uniform(0, 100) for _ in scores], t)
    assert abs(noise.pearson) < 0.1  # the measure is not built to pass
    assert fit_thresholds(scores[:50], chrfs[:50]) is DEFAULT_THRESHOLDS  # too little data to fit


def _with_thresholds(folder, low: float, high: float, domains=("captions",)):
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["confidence"] = {"low": low, "high": high}
    config["domains"] = list(domains)
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


@pytest.fixture()
def unsure_model(tmp_path, tiny_model_dir):
    """The tiny model with thresholds under which every sentence is low-confidence."""
    import shutil

    folder = tmp_path / "unsure"
    shutil.copytree(tiny_model_dir, folder)
    return _with_thresholds(folder, 0.0, 0.0)


def test_translator_reports_confidence_per_sentence(unsure_model, tiny_model_dir):
    from translator_app.core.translator import Translator

    unsure = Translator.load(unsure_model, device="cpu", precision="fp32")
    result = unsure.translate("Ein Mann fährt Fahrrad. Zwei Hunde spielen im Schnee.")
    assert len(result.sentences) == 2 and unsure.domains == ["captions"]
    for s in result.sentences:
        assert s.confidence == pytest.approx(sentence_score(s.hypotheses[0].token_log_probs)) and s.confidence < 0
        assert s.level is Confidence.LOW
    assert result.out_of_domain
    sure = Translator.load(_with_thresholds(unsure_model, -1000.0, -999.0), device="cpu", precision="fp32")
    result = sure.translate("Ein Mann fährt Fahrrad.")
    assert result.sentences[0].level is Confidence.HIGH and not result.out_of_domain


def test_cli_json_and_note(unsure_model):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "translator_app",
            "translate",
            "--model",
            str(unsure_model),
            "--json",
            "Ein Mann fährt Fahrrad. Ein Hund läuft.",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["out_of_domain"] is True
    assert [s["level"] for s in record["sentences"]] == ["low", "low"]
    assert all(s["confidence"] < 0 and s["text"] for s in record["sentences"])
    plain = subprocess.run(
        [sys.executable, "-m", "translator_app", "translate", "--model", str(unsure_model), "Ein Mann fährt Fahrrad."],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert plain.returncode == 0 and plain.stdout.strip()
    assert "unlike what" in plain.stderr and "captions" in plain.stderr


def test_window_marks_low_confidence_sentences(qtbot, shipped_dir_with_tiny):
    from gui_support import close_window, open_window, translate
    from translator_app.core.paths import DEFAULT_MODEL

    _with_thresholds(shipped_dir_with_tiny / DEFAULT_MODEL, 0.0, 0.0)
    window = open_window(qtbot)
    try:
        result = translate(qtbot, window, "Ein Mann fährt Fahrrad. Ein Hund läuft.")
        assert [c.level for c in result.confidence] == [Confidence.LOW, Confidence.LOW] and result.out_of_domain
        pane = window.translate_page.target
        assert len(pane.low_confidence) == 2
        start, end, tip = pane.low_confidence[0]
        assert window.translate_page.target_edit.toPlainText()[start:end] == result.confidence[0].text
        assert "unsure" in pane.low_confidence_tip_at(start) and pane.low_confidence_tip_at(len(result.text) + 5) == ""
        assert pane.notice.isVisibleTo(window) and "captions" in pane.notice.text()
        from PySide6.QtGui import QTextCharFormat, QTextCursor

        cursor = QTextCursor(window.translate_page.target_edit.document())
        cursor.setPosition(start + 1)
        assert cursor.charFormat().underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        qtbot.mouseClick(window.translate_page.source.clear_button, Qt.MouseButton.LeftButton)
        assert not pane.notice.isVisibleTo(window) and pane.low_confidence == []
    finally:
        close_window(window)


def test_window_leaves_confident_text_unmarked(qtbot, shipped_dir_with_tiny):
    from gui_support import close_window, open_window, translate
    from translator_app.core.paths import DEFAULT_MODEL

    _with_thresholds(shipped_dir_with_tiny / DEFAULT_MODEL, -1000.0, -999.0)
    window = open_window(qtbot)
    try:
        result = translate(qtbot, window, "Ein Mann fährt Fahrrad.")
        assert result.confidence[0].level is Confidence.HIGH and not result.out_of_domain
        assert window.translate_page.target.low_confidence == [] and not window.translate_page.target.notice.isVisibleTo(window)
    finally:
        close_window(window)


def test_marks_end_at_the_sentence_end_after_an_emoji(qtbot):
    """Qt counts an emoji as two positions: a mark that ends on one must end after both, or Qt
    draws the emoji as two broken characters, and the next sentence stays unmarked."""
    from PySide6.QtGui import QTextCharFormat, QTextCursor

    from translator_app.gui.panes import TargetPane
    from translator_app.gui.text_positions import python_index, qt_position
    from translator_app.gui.translation_messages import SentenceConfidence

    pane = TargetPane()
    qtbot.addWidget(pane)
    text = "Write to me 😀 now 😀 Fine."
    pane.show_translation(
        text,
        [SentenceConfidence("Write to me 😀 now 😀", Confidence.LOW, -2.0), SentenceConfidence("Fine.", Confidence.HIGH, -0.1)],
        -1.0,
    )
    assert pane.low_confidence[0][:2] == (0, len("Write to me 😀 now 😀") + 2)  # Qt positions: two emoji, two more
    document = pane.edit.document()
    assert document.characterCount() - 1 == qt_position(text, len(text))  # Qt's own count, less its final paragraph mark

    def underlined(position: int) -> bool:
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        return cursor.charFormat().underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline

    end = pane.low_confidence[0][1]
    assert underlined(end) and not underlined(end + 2)  # the format left of the cursor: the last emoji's, then " F"
    assert "unsure" in pane.low_confidence_tip_at(end - 1) and pane.low_confidence_tip_at(end + 1) == ""
    for index in range(len(text) + 1):
        assert python_index(text, qt_position(text, index)) == index
    assert python_index(text, qt_position(text, text.index("😀")) + 1) == text.index("😀")  # inside the pair
