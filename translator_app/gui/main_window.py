"""The main window: German in, English out, decoding options at hand, the model in the background.

The window is wiring between parts that each do one job: ``TranslatePage`` (the Translate tab's
widgets), ``LiveTranslation`` (what goes to the worker, when, and which answers still count),
``ModelSelector`` (the picker, loading and fallback), ``MenuBar``, ``StatusReporter`` (the status
bar, where every error goes), ``AdaptiveLayout`` (narrow or wide), ``ViewChoices`` (colours,
text size, the attention panel) and ``TextExchange`` (dropped files, the history, Save Translation).
The Training tab (``TrainingTab``) fine-tunes on the user's own
data on its own thread, so translating goes on while a run trains. The window never calls the
model: a ``TranslationWorker`` on a ``QThread`` does, started only once the window is shown, so
the window appears before torch is even imported.
``MainWindow()`` with no arguments reads the same settings file and model folders as the app, so
scripts and tests drive the real window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStatusBar, QWidget

from translator_app.gui.about import AboutDialog
from translator_app.gui.file_translation import FileTranslationController
from translator_app.gui.glossary_editor import GlossaryControl, GlossaryEditor
from translator_app.gui.language_check import LanguageCheck
from translator_app.gui.live_translation import LiveTranslation, Skipped
from translator_app.gui.main_tabs import MainTabs
from translator_app.gui.menu_bar import MenuBar
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.model_selector import LoadFailure, ModelSelector
from translator_app.gui.options_panel import OptionsPanel, options_dock
from translator_app.gui.preferences import PreferencesDialog
from translator_app.gui.settings import DECODING_FIELDS, Key, Settings
from translator_app.gui.status_reporter import ErrorSource, StatusReporter
from translator_app.gui.text_exchange import TextExchange
from translator_app.gui.theme import app_icon
from translator_app.gui.training import TrainingTab
from translator_app.gui.translate_page import TranslatePage
from translator_app.gui.translation_messages import TranslationResult
from translator_app.gui.view_choices import ViewChoices
from translator_app.gui.window_layout import AdaptiveLayout
from translator_app.gui.worker import WorkerThread


class MainWindow(QMainWindow):
    modelReady = Signal(str)  # a model finished loading (its name)
    translationRequested = Signal(object)  # a TranslationRequest was sent to the worker
    translationShown = Signal(object)  # a TranslationResult is now in the output pane
    errorReported = Signal(str)  # the one place errors go (also shown in the status bar)
    windowShown = Signal()  # first show, before the worker thread starts
    translationProgress = Signal(int, int, int)  # request id, done, total (live and file jobs)
    translationCancelled = Signal(int)  # request id (live and file jobs)

    _threadsRequested = Signal(int)
    _warmUpRequested = Signal()

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("German → English")  # the platform adds " — translator-app" (the display name)
        self.setWindowIcon(app_icon())
        self.settings = settings if settings is not None else Settings()
        self._shown = False
        self._closed = False

        self.status = StatusReporter(QStatusBar())  # the window takes the bar last: its Cancel button tabs last
        self.status.errorReported.connect(self.errorReported)
        self.model_selector = ModelSelector(self.settings, self.status, self)
        self.translate_page = TranslatePage(self.model_selector.combo)
        self.training_tab = TrainingTab(
            device=lambda: self.settings.get(Key.DEVICE),
            last_directory=lambda: self.settings.get(Key.LAST_DIRECTORY),
            remember_directory=lambda folder: self._store({Key.LAST_DIRECTORY: folder}),
        )
        self.tabs = MainTabs(self.translate_page, self.training_tab)
        self.setCentralWidget(self.tabs)
        self.options_panel = OptionsPanel()
        self.options_panel.optionsChanged.connect(self._on_options_changed)
        self.options_dock = options_dock(self.options_panel, self)
        self.adaptive = AdaptiveLayout(self, self.translate_page, self.options_dock, self.status, self.settings, self._store)
        self.tabs.trainingShown.connect(self.adaptive.tab_changed)
        self.setStatusBar(self.status.bar)
        self.menus = MenuBar(self, self.options_dock.toggleViewAction())
        self.setMenuBar(self.menus)
        self.view = ViewChoices(self.settings, self._store, self.translate_page, self.menus, lambda: self.model_selector.current)

        self.glossary = GlossaryControl(self.settings.get(Key.GLOSSARY), lambda on: self._store({Key.GLOSSARY: on}), self)
        self.glossary.errorOccurred.connect(self.status.report_error)
        self.glossary.load()

        self._worker_thread = WorkerThread()
        self.worker = self._worker_thread.worker
        self.live = LiveTranslation(self.worker, self.translate_page.source_edit.toPlainText, self.translation_options, self)
        self._connect_worker()
        self.files = FileTranslationController(self.worker, self, self.live.next_id, self.translation_options, self.status)
        self.language_check = LanguageCheck(self)
        self.language_check.checked.connect(self.translate_page.show_language)
        self.worker.warmedUp.connect(self.language_check.warm_up)  # off the GUI thread; a second call costs nothing
        self.exchange = TextExchange(self, self.translate_page, self.status, self.settings, self._store)
        self.history = self.exchange.history
        self._connect_live()
        self._connect_menus()
        self._connect_training_tab()

        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # never leave a running QThread behind
        self._restore_settings()
        if self.settings.notice:
            self.status.report_notice(self.settings.notice)
        if self.history.notice:
            self.status.report_notice(self.history.notice)

    # ---- wiring ---------------------------------------------------------------------------------

    def _connect_worker(self) -> None:
        w, status = self.worker, self.status
        self.model_selector.connect_worker(w)
        self.model_selector.loadRequested.connect(lambda *_: self.live.cancel())  # its answer would be the old model's
        self.model_selector.loaded.connect(self._on_model_loaded)
        self.model_selector.failed.connect(self._on_model_failed)
        self._threadsRequested.connect(w.setThreads)
        self._warmUpRequested.connect(w.warmUp)
        status.connect_worker(w)
        w.progress.connect(self.translationProgress)
        w.cancelled.connect(self.translationCancelled)

    def _connect_live(self) -> None:
        live, page, status = self.live, self.translate_page, self.status
        live.requested.connect(self.translationRequested)
        live.shown.connect(self._on_translated)
        live.partial.connect(page.show_partial)
        live.partialWithdrawn.connect(page.target.clear)
        live.cleared.connect(lambda: page.clear_output(alternatives=self.options_panel.options()["n_best"]))
        live.skipped.connect(self._on_skipped)
        live.runningChanged.connect(self.menus.cancel_action.setEnabled)
        live.busyChanged.connect(status.show_busy)
        live.cancelled.connect(lambda: status.show_info("Translation cancelled.", 5000))
        page.source_edit.textChanged.connect(live.text_changed)
        page.as_you_type_check.toggled.connect(self._on_as_you_type_toggled)
        page.translate_button.clicked.connect(lambda: live.translate(live=False))
        page.source.clear_button.clicked.connect(self.clear)
        page.message.connect(status.show_info)
        self.exchange.textPlaced.connect(self._translate_placed_text)
        self.exchange.fileDropped.connect(self.choose_file_to_translate)
        status.cancelRequested.connect(self.cancel_translation)

    def _connect_menus(self) -> None:
        m, page, models = self.menus, self.translate_page, self.model_selector
        for signal, slot in (
            (m.translateFileRequested, self.choose_file_to_translate),
            (m.quitRequested, self.close),
            (m.translateRequested, self.live.translate),
            (m.cancelRequested, self.cancel_translation),
            (m.copyRequested, page.copy_translation),
            (m.pasteRequested, page.paste),
            (m.clearRequested, self.clear),
            (m.preferencesRequested, self.show_preferences),
            (m.glossaryRequested, self.show_glossary),
            (m.glossaryToggled, self.glossary.set_enabled),
            (self.glossary.changed, self._on_glossary_changed),
            (m.asYouTypeToggled, page.as_you_type_check.setChecked),
            (m.swapLayoutRequested, self.adaptive.swap),
            (m.autoLayoutToggled, self.adaptive.set_automatic),
            (m.translateTabRequested, self.tabs.show_translate),
            (m.trainingTabRequested, self.tabs.show_training),
            (m.manageModelsRequested, models.show_manager),
            (m.compareModelsRequested, lambda: models.show_compare(page.source_edit.toPlainText())),
            (m.bestModelRequested, models.use_best_quality),
            (m.defaultModelRequested, models.use_default),
            (m.refreshModelsRequested, models.refresh),
            (m.aboutRequested, self.show_about),
            (self.adaptive.automaticChanged, m.auto_layout_action.setChecked),
            (m.saveTranslationRequested, self.exchange.save_translation),
            (m.undoRequested, page.source_edit.undo),
            (m.redoRequested, page.source_edit.redo),
            (page.source_edit.undoAvailable, m.undo_action.setEnabled),
            (page.source_edit.redoAvailable, m.redo_action.setEnabled),
            (m.historyRequested, self.exchange.show_history),
        ):
            signal.connect(slot)
        page.target_edit.textChanged.connect(lambda: m.save_translation_action.setEnabled(bool(page.target_edit.toPlainText())))

    def _connect_training_tab(self) -> None:
        tab, status = self.training_tab, self.status
        tab.errorOccurred.connect(lambda message: status.report_error(message, ErrorSource.TRAINING))
        tab.trainEventShown.connect(lambda _event: status.resolve_errors(ErrorSource.TRAINING, ErrorSource.TRANSLATION))
        # a file that could not be read (mismatched line counts, …) is no longer the problem once one can be
        tab.previewShown.connect(lambda preview: status.resolve_errors(ErrorSource.TRAINING) if preview is not None else None)
        tab.modelSaved.connect(lambda *_: status.resolve_errors(ErrorSource.TRAINING, ErrorSource.TRANSLATION))
        tab.noticeOccurred.connect(lambda message: status.report_notice(message, ErrorSource.TRAINING))  # e.g. a run to resume
        tab.useModelRequested.connect(self.use_model)
        tab.modelSaved.connect(lambda *_: self.model_selector.refresh())  # the new model appears in the picker at once
        tab.modelSaved.connect(
            lambda name, _folder: status.show_info(
                f"Model “{name}” saved; “Use this model” in the Training tab switches to it.", status.NOTICE_MS
            )
        )
        self.worker.modelsListed.connect(tab.set_models)

    def _restore_settings(self) -> None:
        s = self.settings
        self.options_panel.set_options(s.decoding())
        self.translate_page.as_you_type_check.setChecked(s.get(Key.AS_YOU_TYPE))
        self.menus.auto_layout_action.setChecked(s.get(Key.LAYOUT) == "auto")
        self.menus.use_glossary_action.setChecked(self.glossary.enabled)
        self.view.restore()
        self.adaptive.restore()

    def _store(self, values: dict[Key, Any]) -> None:
        try:
            self.settings.update(values)
        except OSError as exc:
            self.status.report_error(f"Could not save the settings to {self.settings.path}: {exc.strerror or exc}")

    # ---- start-up and shutdown -------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.model_selector.started and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._after_first_show)

    def _after_first_show(self) -> None:
        """Runs once the show and its first paint are processed: only now is torch imported."""
        self.windowShown.emit()
        self.start()

    def start(self) -> None:
        """Start the worker thread and load the model (idempotent; ``show`` calls it)."""
        if self.model_selector.started or self._closed:
            return
        self._worker_thread.start()
        self.model_selector.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.adaptive.resized()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed and not self.training_tab.confirm_close():
            event.ignore()  # "No": keep training, keep the window
            return
        self.hide()  # gone at once, even while the last batch finishes
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save the window's geometry, stop any translation and training, join the worker threads.

        A training run stops at its next step and keeps a resumable checkpoint.
        """
        if self._closed:
            return
        self._closed = True
        self.live.stop()
        self.adaptive.save()
        self.history.save()
        if not self.training_tab.shutdown():
            self.status.report_error("The training thread did not stop in time.")
        if not self._worker_thread.shutdown():
            self.status.report_error("The translation thread did not stop in time.")
        self.language_check.shutdown()

    # ---- models ---------------------------------------------------------------------------------

    def _on_model_loaded(self, details: ModelDetails, name: str) -> None:
        self._store({Key.MODEL: name})
        self.options_panel.set_model_defaults(details.default_options, keep=self.settings.get(Key.CUSTOM_DECODING))
        self.view.update_attention()
        self.translate_page.set_model_ready(True)
        self.menus.set_model_ready(True)
        self.training_tab.set_current_model(details.path)
        self.training_tab.start()  # the model is in: now list the unfinished training runs
        # The language detector (about 0.7 s of Python) loads after the sentencizer or the first
        # translation, not beside them: on one interpreter they would only slow each other down.
        self.modelReady.emit(details.name)
        if not self.live.model_loaded():
            self._warmUpRequested.emit()

    def _on_model_failed(self, outcome: LoadFailure) -> None:
        self.training_tab.start()
        if outcome in (LoadFailure.NO_MODEL, LoadFailure.NONE_INSTALLED):
            self.translate_page.set_model_ready(False, installed=outcome is not LoadFailure.NONE_INSTALLED)
            self.menus.set_model_ready(False)

    def use_model(self, folder: str) -> None:
        """Make a (newly trained) model the one in use, through the same path as the model picker."""
        if not self.model_selector.started:
            return
        self.tabs.show_translate()
        self.model_selector.refresh()
        self.model_selector.request(folder)

    # ---- translating ----------------------------------------------------------------------------

    def _on_skipped(self, why: Skipped) -> None:
        if why is Skipped.NO_TEXT:
            self.status.show_info("Type or paste German text to translate.", 5000)
        elif self.model_selector.loading is not None:
            self.status.show_info("The model is still loading; your text is translated as soon as it is ready.", 0)
        else:
            self.status.report_error("No translation model is loaded. Choose one in the model list.")

    def _on_translated(self, result: TranslationResult) -> None:
        self.status.resolve_errors(ErrorSource.TRANSLATION, ErrorSource.TRAINING)  # translating works (again)
        model = self.model_selector.current
        self.translate_page.show_result(result, model)
        self.language_check.check(result.id, result.source)
        self.exchange.record(result, model)
        self.status.show_time(result.seconds)
        self.status.clear_waiting_message()
        self.translationShown.emit(result)

    def cancel_translation(self) -> None:
        if self.live.cancel():
            self.status.show_info("Cancelling…", 0)

    def clear(self) -> None:
        """Empty both panes; the input is removed as one edit, so Ctrl+Z brings it back."""
        had_text = self.translate_page.clear_input()
        self.live.clear_output()
        if had_text:
            self.status.show_info("Cleared. Undo (Ctrl+Z) brings the text back.", 5000)

    def _on_options_changed(self, options: dict[str, Any]) -> None:
        self._store(
            {
                **{key: options[field] for key, field in DECODING_FIELDS.items()},
                Key.CUSTOM_DECODING: self.options_panel.custom_fields(options),
            }
        )
        self.translate_page.expect_alternatives(options["n_best"])
        self.live.schedule()  # the next translation uses the new options at once

    def translation_options(self) -> dict[str, Any]:
        """What the next translation uses: the decoding panel's options and the glossary."""
        return {**self.options_panel.options(), **self.glossary.options()}

    def show_glossary(self) -> GlossaryEditor:
        dialog = self.glossary.open_editor(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    def _on_glossary_changed(self) -> None:
        """A glossary edit or the switch: the translation on show is redone with it at once."""
        self.menus.use_glossary_action.setChecked(self.glossary.enabled)
        if self.live.last_result is not None:
            self.live.translate(live=True)  # sends nothing if the options are the same after all
        else:
            self.live.schedule()

    def _on_as_you_type_toggled(self, on: bool) -> None:
        self.menus.as_you_type_action.setChecked(on)
        self._store({Key.AS_YOU_TYPE: on})
        self.live.as_you_type = on
        self.live.schedule()

    def choose_file_to_translate(self, source: str = "") -> None:
        """File → Translate File…, or a file dropped on the tab (``source``: no need to ask for it)."""
        if self.model_selector.current is None:
            self.status.report_error("No translation model is loaded.")
        elif (folder := self.files.choose(self.settings.get(Key.LAST_DIRECTORY), source)) is not None:
            self._store({Key.LAST_DIRECTORY: str(folder)})

    def _translate_placed_text(self) -> None:
        """A dropped text file or a restored history entry is in the input: translate it now."""
        self.tabs.show_translate()
        self.live.translate(live=False)

    # ---- preferences and view -------------------------------------------------------------------

    def show_preferences(self) -> PreferencesDialog:
        values = {key: self.settings.get(key) for key in Key}
        values[Key.AS_YOU_TYPE] = self.translate_page.as_you_type_check.isChecked()
        dialog = PreferencesDialog(values, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.values()))
        dialog.open()
        return dialog

    def apply_preferences(self, values: dict[Key, Any]) -> None:
        old_device, old_threads = self.settings.get(Key.DEVICE), self.settings.get(Key.CPU_THREADS)
        self._store(values)
        self.options_panel.set_options({field: values[key] for key, field in DECODING_FIELDS.items()}, notify=True)
        self.translate_page.as_you_type_check.setChecked(values[Key.AS_YOU_TYPE])
        self.view.apply_font()
        self.history.set_keep(values[Key.KEEP_HISTORY])
        if values[Key.DEVICE] != old_device:
            self.model_selector.reload()
        elif values[Key.CPU_THREADS] != old_threads and self.model_selector.started:
            self._threadsRequested.emit(values[Key.CPU_THREADS])

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.model_selector.current, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
