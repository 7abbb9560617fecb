"""The real main window on the tiny model: typing, shortcuts, as-you-type, options, alternatives,
bad inputs, copy/clear, preferences, about and view actions (pytest-qt, offscreen)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDoubleSpinBox, QListWidget, QPlainTextEdit, QPushButton, QSpinBox, QStatusBar

from gui_support import TRANSLATE_TIMEOUT_MS, close_window, open_window, translate
from translator_app.core.translator import Translator
from translator_app.gui.main_window import MainWindow
from translator_app.core.paths import DEFAULT_MODEL


@pytest.fixture()
def window(qtbot, shipped_dir_with_tiny):
    win = open_window(qtbot)
    yield win
    close_window(win)


@pytest.fixture()
def translate_calls(monkeypatch):
    """Record every call that reaches the real Translator (text and DecodeOptions), then translate."""
    calls = []
    original = Translator.translate

    def spy(self, texts, options=None, **kwargs):
        result = original(self, texts, options, **kwargs)
        calls.append({"text": texts, "options": options, "result": result})
        return result

    monkeypatch.setattr(Translator, "translate", spy)
    return calls


def test_object_names_are_stable(window):
    for cls, name in [
        (QPlainTextEdit, "sourceEdit"),
        (QPlainTextEdit, "targetEdit"),
        (QPushButton, "translateButton"),
        (QSpinBox, "maxLengthSpin"),
        (QSpinBox, "beamWidthSpin"),
        (QDoubleSpinBox, "lengthPenaltySpin"),
        (QSpinBox, "alternativesSpin"),
        (QListWidget, "alternativesList"),
        (QStatusBar, "statusBar"),
    ]:
        assert window.findChild(cls, name) is not None, name
    assert window.findChild(QPlainTextEdit, "targetEdit").isReadOnly()
    from PySide6.QtWidgets import QComboBox

    assert window.findChild(QComboBox, "modelCombo").currentText() == DEFAULT_MODEL


def test_spin_ranges_are_the_decoding_limits(qtbot):
    """The panel (and so Preferences) offers exactly what decoding accepts: both ends decode, one step
    beyond either is refused; n_best reaches the beam's cap, as on the command line."""
    from translator_app.core.types.options import LIMITS, MAX_BEAM, DecodeOptions
    from translator_app.gui.options_panel import OptionsPanel

    panel = OptionsPanel()
    qtbot.addWidget(panel)
    for field, spin in panel.spins.items():
        limit = LIMITS[field]
        assert (spin.minimum(), spin.maximum()) == (limit.low, limit.high), field
        step = 10 ** -spin.decimals() if isinstance(spin, QDoubleSpinBox) else 1
        for value in (spin.minimum(), spin.maximum()):
            DecodeOptions(**{field: value}).validated()
        for value in (spin.minimum() - step, spin.maximum() + step):
            with pytest.raises(ValueError):
                DecodeOptions(**{field: value}).validated()
    assert panel.spins["n_best"].maximum() == panel.spins["beam_width"].maximum() == MAX_BEAM


def test_status_bar_shows_model_and_device(window):
    assert window.model_selector.current.name == "tiny-lstm"
    assert "tiny-lstm" in window.status.model_status.text()
    assert window.status.device_status.text().startswith("CPU")
    assert window.translate_page.translate_button.isEnabled()


def test_typed_text_is_translated_with_the_button(qtbot, window, translate_calls):
    window.translate_page.as_you_type_check.setChecked(False)
    qtbot.keyClicks(window.translate_page.source_edit, "Ein Mann sitzt auf einer Bank.")  # QTest types ASCII only
    assert window.translate_page.source.counts.text() == "30 characters · 1 sentence"
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.translate_page.translate_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.source == "Ein Mann sitzt auf einer Bank."
    assert result.text.strip() and window.translate_page.target_edit.toPlainText() == result.text
    assert translate_calls[-1]["result"].text == result.text  # the real model made it
    assert window.status.time_status.text() == f"Last: {result.seconds:.2f} s"


def test_ctrl_enter_translates(qtbot, window):
    window.translate_page.as_you_type_check.setChecked(False)
    window.translate_page.source_edit.setPlainText("Zwei Hunde spielen im Schnee.")
    window.translate_page.source_edit.setFocus()
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].source == "Zwei Hunde spielen im Schnee."
    assert "\n" not in window.translate_page.source_edit.toPlainText()  # the shortcut did not insert a line break


def test_as_you_type_debounces_a_burst_into_one_request(qtbot, window, translate_calls):
    assert window.translate_page.as_you_type_check.isChecked()  # on by default
    requests = []
    window.translationRequested.connect(requests.append)
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS) as blocker:
        qtbot.keyClicks(window.translate_page.source_edit, "Eine Frau liest ein Buch.")
    qtbot.wait(window.live.DEBOUNCE_MS * 2)  # nothing else fires afterwards
    assert [r.text for r in requests] == ["Eine Frau liest ein Buch."]
    assert blocker.args[0].source == "Eine Frau liest ein Buch."
    assert [c["text"] for c in translate_calls] == ["Eine Frau liest ein Buch."]


def test_while_translating_only_the_newest_text_is_translated_next(qtbot, window, monkeypatch):
    gate, entered, seen = threading.Event(), threading.Event(), []
    original = Translator.translate

    def slow(self, texts, options=None, **kwargs):
        seen.append(texts)
        entered.set()
        assert gate.wait(30)
        return original(self, texts, options, **kwargs)

    monkeypatch.setattr(Translator, "translate", slow)
    window.translate_page.as_you_type_check.setChecked(False)
    shown = []
    window.translationShown.connect(lambda r: shown.append(r.source))
    window.translate_page.source_edit.setPlainText("Ein Hund.")
    window.live.translate()
    assert entered.wait(30)
    for text in ("Eine Katze.", "Ein Vogel.", "Ein Pferd."):
        window.translate_page.source_edit.setPlainText(text)
        window.live.translate()
    gate.set()
    qtbot.waitUntil(lambda: shown == ["Ein Hund.", "Ein Pferd."], timeout=TRANSLATE_TIMEOUT_MS)
    assert seen == ["Ein Hund.", "Ein Pferd."]
    assert window.translate_page.source_edit.toPlainText() == "Ein Pferd." and window.live.last_result.source == "Ein Pferd."


def test_beam_width_and_max_length_from_the_panel_reach_the_translator(qtbot, window, translate_calls):
    window.findChild(QSpinBox, "beamWidthSpin").setValue(3)
    window.findChild(QSpinBox, "maxLengthSpin").setValue(4)
    window.findChild(QDoubleSpinBox, "lengthPenaltySpin").setValue(0.5)
    window.findChild(QSpinBox, "noRepeatNgramSpin").setValue(2)
    result = translate(qtbot, window, "Ein kleines Mädchen klettert in ein Spielhaus aus Holz.")
    options = translate_calls[-1]["options"]
    assert (options.beam_width, options.max_length, options.length_penalty, options.no_repeat_ngram_size) == (3, 4, 0.5, 2)
    tokens = translate_calls[-1]["result"].sentences[0].hypotheses[0].tokens
    assert 1 <= len(tokens) <= 4  # the real search honoured the limit
    assert result.options["max_length"] == 4


def test_options_change_retranslates_at_once_when_typing_live(qtbot, window, translate_calls):
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS):
        window.translate_page.source_edit.setPlainText("Ein Mann schläft.")
    with qtbot.waitSignal(window.translationShown, timeout=TRANSLATE_TIMEOUT_MS):
        window.findChild(QSpinBox, "beamWidthSpin").setValue(1)
    assert translate_calls[-1]["options"].beam_width == 1


def test_alternatives_are_listed_with_scores_and_click_to_use(qtbot, window):
    window.findChild(QSpinBox, "alternativesSpin").setValue(4)
    result = translate(qtbot, window, "Ein Mann mit einem Hut steht auf der Straße.")
    alternatives = window.findChild(QListWidget, "alternativesList")
    assert alternatives.isVisible()
    assert 2 <= alternatives.count() <= 4 and alternatives.count() == len(result.alternatives)
    scores = [alternatives.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(alternatives.count())]
    assert scores[0] == pytest.approx(result.confidence[0].score)  # the confidence marks' scale (issue 29, item 11)
    assert f"{scores[0]:.2f}" in alternatives.item(0).text()
    second = alternatives.item(1)
    rect = alternatives.visualItemRect(second)
    qtbot.mouseClick(alternatives.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.translate_page.target_edit.toPlainText() == second.data(Qt.ItemDataRole.UserRole) == result.alternatives[1][0]
    assert second.font().bold() and not alternatives.item(0).font().bold()


def test_reset_to_model_defaults(qtbot, window):
    from translator_app.gui.settings import Key

    window.findChild(QSpinBox, "beamWidthSpin").setValue(9)
    window.findChild(QSpinBox, "maxLengthSpin").setValue(33)
    qtbot.mouseClick(window.findChild(QPushButton, "resetOptionsButton"), Qt.MouseButton.LeftButton)
    defaults = Translator.load(window.model_selector.current.path).default_options()  # the tiny model's config
    assert window.findChild(QSpinBox, "beamWidthSpin").value() == defaults.beam_width
    assert window.findChild(QSpinBox, "maxLengthSpin").value() == defaults.max_length
    assert window.settings.get(Key.BEAM_WIDTH) == defaults.beam_width


def test_alternatives_hidden_for_a_single_translation(qtbot, window):
    translate(qtbot, window, "Ein Hund rennt.")
    assert not window.findChild(QListWidget, "alternativesList").isVisible()


def test_multi_sentence_input_keeps_paragraph_breaks(qtbot, window, translate_calls):
    text = "Ein Mann läuft. Eine Frau sitzt.\n\nZwei Kinder spielen."
    result = translate(qtbot, window, text)
    assert result.sentences == 3
    assert result.text.count("\n\n") == 1
    assert window.translate_page.source.counts.text().endswith("3 sentences")


@pytest.mark.parametrize(
    "text",
    [
        "Ich liebe 🍕 und 🐶! 👍🏽",
        "Hallo\x00Welt\x07 \x1b[31mrot\x1b[0m \u202eumgekehrt\u202c",
        "مرحبا بالعالم. كيف حالك؟",
        "שלום עולם",
        "The quick brown fox jumps over the lazy dog.",
        "你好，世界。今天天气很好。",
        "Ein Satz mit גם עברית und English words.",
        "\x01\x02\x03",
        "...!!!???",
        "a" * 3000,
    ],
    ids=["emoji", "control", "arabic", "hebrew", "english", "chinese", "mixed-bidi", "only-control", "punctuation", "no-spaces"],
)
def test_bad_inputs_never_crash(qtbot, window, text):
    errors = []
    window.errorReported.connect(errors.append)
    result = translate(qtbot, window, text)
    assert errors == []
    assert isinstance(result.text, str) and window.translate_page.target_edit.toPlainText() == result.text


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t  \n"])
def test_empty_or_whitespace_input_sends_nothing(qtbot, window, text):
    requests = []
    window.translationRequested.connect(requests.append)
    window.translate_page.source_edit.setPlainText(text)
    qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(window.translate_page.translate_button, Qt.MouseButton.LeftButton)
    qtbot.wait(window.live.DEBOUNCE_MS + 100)
    assert requests == [] and window.translate_page.target_edit.toPlainText() == ""
    assert "Type or paste German text" in window.statusBar().currentMessage()


def test_clearing_the_input_clears_the_output_and_drops_stale_results(qtbot, window):
    translate(qtbot, window, "Ein Hund schläft.")
    assert window.translate_page.target_edit.toPlainText()
    qtbot.mouseClick(window.translate_page.source.clear_button, Qt.MouseButton.LeftButton)
    assert window.translate_page.source_edit.toPlainText() == "" and window.translate_page.target_edit.toPlainText() == ""
    assert window.translate_page.source.counts.text() == "0 characters · 0 sentences"


def test_copy_puts_the_translation_on_the_clipboard(qtbot, window):
    result = translate(qtbot, window, "Ein Kind isst ein Eis.")
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(window.translate_page.target.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == result.text


def test_edit_menu_paste_goes_into_the_input(qtbot, window):
    window.translate_page.as_you_type_check.setChecked(False)
    QGuiApplication.clipboard().setText("Ein Vogel singt.")
    window.findChild(type(window.menus.translate_action), "pasteAction").trigger()
    assert window.translate_page.source_edit.toPlainText() == "Ein Vogel singt."


def test_preferences_dialog_applies_and_persists(qtbot, window):
    from translator_app.gui.preferences import PreferencesDialog
    from translator_app.gui.settings import Key, Settings

    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.findChild(QSpinBox, "prefBeamWidthSpin").setValue(7)
    dialog.findChild(QSpinBox, "prefAlternativesSpin").setValue(2)
    dialog.threads_spin.setValue(1)
    dialog.as_you_type_check.setChecked(False)
    dialog.font_size_spin.setValue(15)
    dialog.accept()
    assert window.findChild(QSpinBox, "beamWidthSpin").value() == 7
    assert window.findChild(QSpinBox, "alternativesSpin").value() == 2
    assert not window.translate_page.as_you_type_check.isChecked()
    assert (
        window.translate_page.source_edit.font().pointSize() == 15 and window.translate_page.target_edit.font().pointSize() == 15
    )
    stored = Settings()
    assert (stored.get(Key.BEAM_WIDTH), stored.get(Key.CPU_THREADS), stored.get(Key.FONT_SIZE)) == (7, 1, 15)
    result = translate(qtbot, window, "Ein Mann schwimmt.")  # still translates with 1 thread
    assert result.options["beam_width"] == 7


def test_preferences_device_change_reloads_the_model(qtbot, window):
    from translator_app.gui.settings import Key

    values = {key: window.settings.get(key) for key in Key}
    values[Key.DEVICE] = "cpu"
    with qtbot.waitSignal(window.modelReady, timeout=60_000):
        window.apply_preferences(values)
    assert window.status.device_status.text().startswith("CPU")
    assert window.settings.get(Key.DEVICE) == "cpu"


def test_asking_for_a_missing_gpu_falls_back_to_the_cpu_with_a_message(qtbot, window):
    import torch
    from translator_app.gui.settings import Key

    if torch.cuda.is_available() or torch.backends.mps.is_available():
        pytest.skip("this machine has a GPU")
    values = {key: window.settings.get(key) for key in Key}
    values[Key.DEVICE] = "gpu"
    errors = []
    window.errorReported.connect(errors.append)
    with qtbot.waitSignal(window.modelReady, timeout=60_000):
        window.apply_preferences(values)
    assert any("no GPU is available" in e and "CPU" in e for e in errors)
    assert window.status.device_status.text().startswith("CPU")


def test_about_shows_the_model_card_and_licenses(qtbot, window):
    from PySide6.QtWidgets import QTextBrowser

    dialog = window.show_about()
    qtbot.addWidget(dialog)
    card = dialog.findChild(QTextBrowser, "modelCardText").toPlainText()
    assert "tiny-lstm" in card and "lstm" in card  # built from config.json (no README)
    licenses = dialog.findChild(QTextBrowser, "licensesText").toPlainText()
    for name in ("PySide6", "PyTorch", "SentencePiece", "LGPL", "Multi30k"):
        assert name in licenses
    dialog.close()


def test_about_prefers_the_model_folders_readme(qtbot, shipped_dir_with_tiny):
    from PySide6.QtWidgets import QTextBrowser

    (shipped_dir_with_tiny / DEFAULT_MODEL / "README.md").write_text("# Tiny card\n\nTrained for tests only.\n", encoding="utf-8")
    win = open_window(qtbot)
    dialog = win.show_about()
    qtbot.addWidget(dialog)
    assert "Trained for tests only." in dialog.findChild(QTextBrowser, "modelCardText").toPlainText()
    dialog.close()
    close_window(win)


def test_view_swap_layout_font_size_and_narrow_window(qtbot, window):
    from translator_app.gui.settings import Key

    window.resize(1200, 700)
    assert window.translate_page.splitter.orientation() == Qt.Orientation.Horizontal
    window.resize(600, 700)  # narrow: the options go below...
    qtbot.waitUntil(lambda: window.dockWidgetArea(window.options_dock) == Qt.DockWidgetArea.BottomDockWidgetArea)
    window.resize(600, 700)  # ...so it narrows on (as a drag would)
    qtbot.waitUntil(lambda: window.translate_page.splitter.orientation() == Qt.Orientation.Vertical)  # and the panes stack
    window.resize(1200, 700)
    qtbot.waitUntil(lambda: window.translate_page.splitter.orientation() == Qt.Orientation.Horizontal)
    window.adaptive.swap()
    assert window.translate_page.splitter.orientation() == Qt.Orientation.Vertical
    assert window.settings.get(Key.LAYOUT) == "stacked" and not window.menus.auto_layout_action.isChecked()
    window.menus.auto_layout_action.trigger()
    assert window.settings.get(Key.LAYOUT) == "auto"
    size = window.translate_page.source_edit.font().pointSize()
    window.view.change_font_size(+1)
    window.view.change_font_size(+1)
    assert (
        window.translate_page.source_edit.font().pointSize() == size + 2 == window.translate_page.target_edit.font().pointSize()
    )
    window.view.change_font_size(0)
    assert window.settings.get(Key.FONT_SIZE) == 0


def test_light_and_dark_palettes(qtbot, window):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication
    from translator_app.gui.theme import is_dark, set_color_scheme

    app = QApplication.instance()
    try:
        set_color_scheme(app, Qt.ColorScheme.Dark)
        assert is_dark(app.palette())
        qtbot.waitUntil(lambda: is_dark(window.translate_page.source_edit.palette()))  # widgets follow
        box = window.translate_page.as_you_type_check.palette()  # Fusion outlines it in Window.darker()
        outline = box.color(QPalette.ColorRole.Window).darker(140)
        assert abs(outline.lightness() - box.color(QPalette.ColorRole.Base).lightness()) > 60
        set_color_scheme(app, Qt.ColorScheme.Light)
        assert not is_dark(app.palette())
        assert not is_dark(window.translate_page.as_you_type_check.palette())
    finally:
        set_color_scheme(app, None)
    assert not is_dark(app.palette())


def test_window_icon_is_set(window):
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes()  # the rendered PNGs were found


def test_main_window_builds_without_a_model_loaded(qtbot, shipped_dir_with_tiny):
    win = MainWindow()  # the no-argument constructor, as scripts use it
    qtbot.addWidget(win)
    assert win.model_selector.current is None and not win.translate_page.translate_button.isEnabled()
    win.translate_page.source_edit.setPlainText("Hallo Welt.")
    with qtbot.waitSignal(win.translationShown, timeout=120_000):
        win.show()  # typed before the model loaded: translated once it is
    close_window(win)


def test_a_translation_cut_by_the_maximum_length_says_so(qtbot, window):
    window.options_panel.spins["max_length"].setValue(3)
    result = translate(qtbot, window, "Ein Mann mit einem orangefarbenen Hut starrt auf etwas. Ein Hund.")
    assert result.truncated >= 1
    notice = window.translate_page.target.notice
    assert notice.isVisible() and "reached the output length limit" in notice.text() and "3 subwords" in notice.text()
    window.options_panel.spins["max_length"].setValue(200)
    if not translate(qtbot, window, "Ein Hund.").truncated:
        assert "output length limit" not in notice.text()


def test_clear_can_be_undone(qtbot, window):
    text = "Ein Hund spielt im Schnee."
    translate(qtbot, window, text)
    window.translate_page.source.clear_button.click()
    assert window.translate_page.source_edit.toPlainText() == "" and window.translate_page.target_edit.toPlainText() == ""
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    window.translate_page.source_edit.setFocus()
    qtbot.keyClick(window.translate_page.source_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.translate_page.source_edit.toPlainText() == text


def test_the_thread_count_in_the_status_bar_follows_preferences(qtbot, window):
    from translator_app.gui.settings import Key

    values = {key: window.settings.get(key) for key in Key}
    for threads, label in ((1, "CPU (1 thread"), (2, "CPU (2 threads")):
        window.apply_preferences({**values, Key.CPU_THREADS: threads})
        qtbot.waitUntil(lambda label=label: window.status.device_status.text().startswith(label), timeout=TRANSLATE_TIMEOUT_MS)


def test_an_error_goes_away_when_what_it_was_about_works_again(qtbot, window):
    from translator_app.gui.status_reporter import ErrorSource

    window.status.report_error("the last translation failed", ErrorSource.TRANSLATION)
    assert window.statusBar().currentMessage().startswith("⚠ the last translation failed")
    translate(qtbot, window, "Ein Hund.")
    assert "the last translation failed" not in window.statusBar().currentMessage()

    window.status.report_error("a training file could not be read", ErrorSource.TRAINING)  # another tab's error
    translate(qtbot, window, "Eine Katze.")  # this tab's action
    assert "training file" not in window.statusBar().currentMessage()

    window.status.report_error("could not load model x", ErrorSource.MODEL)
    translate(qtbot, window, "Ein Haus.")  # translating says nothing about that model
    assert window.statusBar().currentMessage().startswith("⚠ could not load model x")
    with qtbot.waitSignal(window.modelReady, timeout=TRANSLATE_TIMEOUT_MS):
        window.model_selector.request(DEFAULT_MODEL)  # a model loads: the load error is history
    assert "could not load model x" not in window.statusBar().currentMessage()


def test_a_narrow_window_shows_the_model_picker_whole_and_names_the_app_once(qtbot, window):
    from PySide6.QtWidgets import QApplication

    for _ in range(2):  # as a drag: the options move below first
        window.resize(480, 760)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: window.width() <= 500, timeout=5000)  # nothing forces it wider
    combo = window.model_selector.combo
    text_width = combo.fontMetrics().horizontalAdvance(combo.currentText())
    assert combo.width() >= text_width + 20  # the label is not cut
    assert "translator-app" not in window.windowTitle()  # Qt appends the display name once
    assert window.dockWidgetArea(window.options_dock) == Qt.DockWidgetArea.BottomDockWidgetArea  # options below
    window.resize(1200, 700)
    qtbot.waitUntil(lambda: window.dockWidgetArea(window.options_dock) == Qt.DockWidgetArea.RightDockWidgetArea)
    assert (
        "trained on" in combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
        or not window.model_selector.entries[0].domains
    )


def test_view_appearance_system_light_dark_is_remembered(qtbot, window):
    from PySide6.QtWidgets import QApplication

    from translator_app.gui.settings import Key
    from translator_app.gui.theme import is_dark

    app = QApplication.instance()
    try:
        window.findChild(type(window.menus.appearance_actions["dark"]), "appearanceDarkAction").trigger()
        assert is_dark(app.palette()) and window.settings.get(Key.APPEARANCE) == "dark"
        again = open_window(qtbot, settings=window.settings)  # the next start keeps it
        assert again.menus.appearance_actions["dark"].isChecked() and is_dark(app.palette())
        close_window(again)
        window.menus.appearance_actions["light"].trigger()
        assert not is_dark(app.palette()) and window.settings.get(Key.APPEARANCE) == "light"
    finally:
        window.view.set_appearance("system")
    assert window.menus.appearance_actions["system"].isChecked() and window.settings.get(Key.APPEARANCE) == "system"


def test_english_input_is_said_to_look_english_and_german_is_not(qtbot, window):
    """Issue 29, item 12: the window names the language of input that is not German."""
    notes = window.translate_page.target.notice
    result = translate(qtbot, window, "What is the work of that, I don't have it?")
    qtbot.waitUntil(lambda: any("looks like English, not German" in n for n in notes.notes), timeout=TRANSLATE_TIMEOUT_MS)
    assert result.source.startswith("What is")
    checked = []
    window.language_check.checked.connect(lambda *args: checked.append(args))
    german = translate(qtbot, window, "Ein Mann fährt mit dem Fahrrad durch die Stadt.")
    qtbot.waitUntil(lambda: any(rid == german.id for rid, _guess in checked), timeout=TRANSLATE_TIMEOUT_MS)
    assert not any("looks like" in n for n in notes.notes)
