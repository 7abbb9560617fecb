"""The main window: German in, English out, decoding options at hand, the model in the background.

The window has two tabs: Translate (the panes) and Training (``TrainingTab``, fine-tuning on the
user's own data with its own worker thread, so translating goes on while a run trains).
The window never calls the model. It sends requests to a ``TranslationWorker`` on a ``QThread`` and
reacts to its signals; the worker starts only once the window is shown, so the window appears
before torch is even imported. Every error, from any source, goes through ``report_error`` to the
status bar. ``MainWindow()`` with no arguments reads the same settings file and model folders as
the app, so scripts and tests drive the real window.
"""

from __future__ import annotations

import base64
import itertools
import time
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QComboBox, QDockWidget, QFrame, QHBoxLayout, QLabel, QMainWindow,
    QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy, QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from translator_app.core.catalog import best_quality_model, model_role
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir
from translator_app.gui.about import AboutDialog
from translator_app.gui.attention_view import AlignmentLinker, AttentionPanel
from translator_app.gui.file_translation import FileTranslationController
from translator_app.gui.fileio import TextFileError
from translator_app.gui.options_panel import OptionsPanel
from translator_app.gui.panes import SourcePane, TargetPane
from translator_app.gui.preferences import PreferencesDialog
from translator_app.gui.settings import DECODING_FIELDS, FONT_SIZES, Key, Settings
from translator_app.gui.textstats import plural
from translator_app.gui.theme import app_icon
from translator_app.gui.training_tab import TrainingTab
from translator_app.gui.worker import (
    FileResult, ModelDetails, ModelEntry, TranslationRequest, TranslationResult, WorkerThread,
)

PATH_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class ErrorSource(Enum):
    """What an error in the status bar is about, so it goes away when that works again."""

    MODEL = "model"              # loading a model: cleared by a later successful load
    TRANSLATION = "translation"  # a translation failed: cleared by the next one that succeeds
    TRAINING = "training"        # the Training tab: cleared when a run goes on, or by translating
    OTHER = "other"              # stays until it times out or the user does something


class MainWindow(QMainWindow):
    modelReady = Signal(str)                 # a model finished loading (its name)
    translationRequested = Signal(object)    # a TranslationRequest was sent to the worker
    translationShown = Signal(object)        # a TranslationResult is now in the output pane
    errorReported = Signal(str)              # the one place errors go (also shown in the status bar)
    windowShown = Signal()                   # first show, before the worker thread starts
    translationProgress = Signal(int, int, int)   # request id, done, total (live and file jobs)
    translationCancelled = Signal(int)            # request id (live and file jobs)

    _listRequested = Signal()
    _loadRequested = Signal(str, str, int)
    _threadsRequested = Signal(int)
    _warmUpRequested = Signal()

    DEBOUNCE_MS = 400            # as-you-type waits this long after the last keystroke
    NARROW_WIDTH = 640           # panes stack when the text area is narrower (device-independent px)
    LONG_TEXT_CHARS = 5_000      # from this size the progress bar and Cancel show at once
    BUSY_DELAY_MS = 600          # shorter translations never flash a progress bar
    ERROR_MS = 30_000
    NOTICE_MS = 20_000

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("German → English")     # the platform adds " — translator-app" (the display name)
        self.setWindowIcon(app_icon())
        self.settings = settings if settings is not None else Settings()
        self.model: ModelDetails | None = None
        self.models: list[ModelEntry] = []
        self.last_result: TranslationResult | None = None
        self.last_error: str | None = None
        self._ids = itertools.count(1)
        self._discard_below = 0          # results of requests older than this are stale
        self._running_live: int | None = None
        self._loading: ModelEntry | str | None = None
        self._tried_models: set[str] = set()
        self._translate_when_ready = False
        self._sticky_until = 0.0         # monotonic time until which an error/notice stays up
        self._error_source: ErrorSource | None = None   # what the error on show is about
        self._fallback_loading = False   # loading another model because the chosen one failed
        self._dock_moved_for_width = False   # the options went below because the window got narrow
        self._partial_shown: int | None = None   # the long request whose first sentences are on show
        self._started = False
        self._shown = False
        self._closed = False
        self._dock_hidden_by_tab = False
        self._attention_sized = False

        self._debounce = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.translate_now(live=True))
        self._busy_timer = QTimer(self, singleShot=True, interval=self.BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self._show_progress(busy=True))

        self._build_central()
        self._build_dock()
        self._build_status_bar()
        self._build_actions_and_menus()

        self._worker_thread = WorkerThread()
        self.worker = self._worker_thread.worker
        self._connect_worker()
        self.files = FileTranslationController(self.worker, self, lambda: next(self._ids), self.options_panel.options)
        self.files.finished.connect(self._on_file_translated)
        self._connect_training_tab()

        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)     # never leave a running QThread behind
        self._restore_settings()
        self._set_model_ready(False)
        if self.settings.notice:
            self.report_notice(self.settings.notice)

    # ---- construction ---------------------------------------------------------------------------

    def _build_central(self) -> None:
        self.model_combo = QComboBox(objectName="modelCombo")
        self.model_combo.setAccessibleName("Model")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.model_combo.setMinimumContentsLength(12)
        self.model_combo.setToolTip(f"The translation model. Shipped models first, then your own from\n{user_models_dir()}")
        self.model_combo.addItem(f"{self.settings.get(Key.MODEL)} (loading…)")
        self.model_combo.currentIndexChanged.connect(self._on_model_chosen)
        model_label = QLabel("&Model:")
        model_label.setBuddy(self.model_combo)

        self.as_you_type_check = QCheckBox("Translate as you type", objectName="asYouTypeCheck")
        self.as_you_type_check.setToolTip("Translate shortly after you stop typing")
        self.as_you_type_check.toggled.connect(self._on_as_you_type_toggled)
        self.translate_button = QPushButton("Translate", objectName="translateButton")
        self.translate_button.setToolTip("Translate now (Ctrl+Enter)")
        self.translate_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("Translate") * 2)
        self.translate_button.clicked.connect(lambda: self.translate_now(live=False))

        self._top_row, self._second_row = QHBoxLayout(), QHBoxLayout()   # the second holds what a narrow window wraps
        self._top_row.addWidget(model_label)
        self._top_row.addWidget(self.model_combo)
        self._top_row.addStretch(1)
        self._second_row.addStretch(1)
        top = QVBoxLayout()
        top.addLayout(self._top_row)
        top.addLayout(self._second_row)
        self._compact: bool | None = None
        self._arrange_for_width(compact=False)

        self.source = SourcePane()
        self.target = TargetPane()
        self.source_edit = self.source.edit
        self.target_edit = self.target.edit
        self.alternatives_list = self.target.alternatives
        self.source_edit.textChanged.connect(self._on_source_changed)
        self.source.clear_button.clicked.connect(self.clear)
        self.target.copy_button.clicked.connect(self.copy_translation)
        self.target.alternativeChosen.connect(self._on_alternative_chosen)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="paneSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.source)
        self.splitter.addWidget(self.target)

        self.attention_panel = AttentionPanel()
        self.attention_panel.setVisible(False)          # shown once a model with attention is loaded
        self.attention_panel.hideRequested.connect(lambda: self.set_attention_visible(False))
        self.alignment_linker = AlignmentLinker(self.source_edit, self.target_edit, self.attention_panel)
        self.attention_splitter = QSplitter(Qt.Orientation.Vertical, objectName="attentionSplitter")
        self.attention_splitter.setChildrenCollapsible(False)
        self.attention_splitter.addWidget(self.splitter)
        self.attention_splitter.addWidget(self.attention_panel)
        self.attention_splitter.setStretchFactor(0, 3)
        self.attention_splitter.setStretchFactor(1, 2)

        central = QWidget(objectName="central")
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.attention_splitter, 1)
        self.translate_page = central

        self.training_tab = TrainingTab(device=lambda: self.settings.get(Key.DEVICE),
                                        last_directory=lambda: self.settings.get(Key.LAST_DIRECTORY),
                                        remember_directory=lambda folder: self._store({Key.LAST_DIRECTORY: folder}))
        self.tabs = QTabWidget(objectName="mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(central, "Translate")
        self.tabs.addTab(self.training_tab, "Training")
        self.tabs.setTabToolTip(0, "Translate German text (Ctrl+1)")
        self.tabs.setTabToolTip(1, "Fine-tune a model on your own parallel texts, or train a new one (Ctrl+2)")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)

    def _build_dock(self) -> None:
        self.options_panel = OptionsPanel()
        self.options_panel.optionsChanged.connect(self._on_options_changed)
        self.options_dock = QDockWidget("Decoding options", self, objectName="optionsDock")
        self.options_dock.setWidget(self.options_panel)
        self.options_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                      | QDockWidget.DockWidgetFeature.DockWidgetClosable
                                      | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.options_dock)
        self.options_dock.visibilityChanged.connect(self._on_dock_moved)
        self.options_dock.topLevelChanged.connect(self._on_dock_moved)
        self.options_dock.dockLocationChanged.connect(self._on_dock_moved)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.progress_bar = QProgressBar(objectName="translationProgress")
        # wide enough for its longest text, so it is never clipped (and never wraps: one line)
        self.progress_bar.setMinimumWidth(self.fontMetrics().horizontalAdvance("100% of 100,000 sentences") + 24)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setVisible(False)
        self.cancel_button = QToolButton(objectName="cancelButton")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop this translation (Esc)")
        self.cancel_button.clicked.connect(self.cancel_translation)
        self.cancel_button.setVisible(False)
        self.model_status = QLabel("Model: —", objectName="modelStatusLabel")
        self.device_status = QLabel("Device: —", objectName="deviceStatusLabel")
        self.time_status = QLabel("Last: —", objectName="timeStatusLabel")
        self.time_status.setToolTip("How long the last translation took")
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        for i, label in enumerate((self.model_status, self.device_status, self.time_status)):
            if i:
                separator = QFrame()
                separator.setFrameShape(QFrame.Shape.VLine)
                separator.setFrameShadow(QFrame.Shadow.Sunken)
                bar.addPermanentWidget(separator)
            bar.addPermanentWidget(label)

    def _action(self, text: str, slot, shortcut=None, *, name: str, tip: str = "") -> QAction:
        action = QAction(text, self, objectName=name)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions_and_menus(self) -> None:
        a = self._action
        self.translate_file_action = a("&Translate File…", self.choose_file_to_translate, QKeySequence.StandardKey.Open,
                                       name="translateFileAction", tip="Translate a German .txt file into an English .txt file")
        quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit, name="quitAction")
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.translate_action = a("&Translate", lambda: self.translate_now(live=False), ["Ctrl+Return", "Ctrl+Enter"],
                                  name="translateAction")
        self.cancel_action = a("Cancel Translation", self.cancel_translation, "Esc", name="cancelAction")
        self.cancel_action.setEnabled(False)
        copy_action = a("&Copy Translation", self.copy_translation, ["Ctrl+Shift+C", QKeySequence.StandardKey.Copy],
                        name="copyAction")
        paste_action = a("&Paste", self.paste, QKeySequence.StandardKey.Paste, name="pasteAction")
        clear_action = a("C&lear", self.clear, "Ctrl+Shift+Backspace", name="clearAction")
        prefs_action = a("Pre&ferences…", self.show_preferences, "Ctrl+,", name="preferencesAction")
        prefs_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.as_you_type_action = a("Translate &As You Type", lambda on: self.as_you_type_check.setChecked(on),
                                    name="asYouTypeAction")
        self.as_you_type_action.setCheckable(True)

        swap_action = a("&Swap Layout", self.swap_layout, "Ctrl+Shift+L", name="swapLayoutAction",
                        tip="Switch between side-by-side and stacked panes")
        self.auto_layout_action = a("&Automatic Layout", self._on_auto_layout, name="autoLayoutAction",
                                    tip="Stack the panes when the window is narrow")
        self.auto_layout_action.setCheckable(True)
        self.attention_action = a("A&ttention View", self.set_attention_visible, "Ctrl+Shift+A", name="attentionAction",
                                  tip="Show which German words the model looked at for each English word")
        self.attention_action.setCheckable(True)
        self.attention_action.setEnabled(False)
        bigger = a("&Bigger Text", lambda: self.change_font_size(+1), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="],
                   name="biggerFontAction")
        smaller = a("S&maller Text", lambda: self.change_font_size(-1), QKeySequence.StandardKey.ZoomOut,
                    name="smallerFontAction")
        reset_font = a("&Normal Text Size", lambda: self.change_font_size(0), "Ctrl+0", name="resetFontAction")
        refresh = a("&Refresh Model List", self.refresh_models, "F5", name="refreshModelsAction")
        manage = a("&Manage Models…", self.show_model_manager, name="manageModelsAction",
                   tip="List every model; rename, delete, import or export your own")
        self.best_model_action = a("Use &Best-Quality Model", self.use_best_quality_model, "Ctrl+Shift+B",
                                   name="bestModelAction", tip="Switch to the shipped model that scores highest (slower than the default)")
        self.default_model_action = a("Use &Default Model", self.use_default_model, "Ctrl+Shift+D", name="defaultModelAction",
                                      tip="Switch to the default model (fastest)")
        show_translate = a("T&ranslate Tab", lambda: self.tabs.setCurrentWidget(self.translate_page), "Ctrl+1",
                           name="showTranslateTabAction")
        show_training = a("Trai&ning Tab", lambda: self.tabs.setCurrentWidget(self.training_tab), "Ctrl+2",
                          name="showTrainingTabAction", tip="Fine-tune a model on your own parallel texts")
        about = a("&About translator-app", self.show_about, name="aboutAction")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about_qt = a("About &Qt", QApplication.aboutQt, name="aboutQtAction")
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.translate_file_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.translate_action, self.cancel_action])
        edit_menu.addSeparator()
        edit_menu.addActions([copy_action, paste_action, clear_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.as_you_type_action, prefs_action])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([show_translate, show_training])
        view_menu.addSeparator()
        view_menu.addActions([swap_action, self.auto_layout_action])
        view_menu.addSeparator()
        view_menu.addActions([bigger, smaller, reset_font])
        appearance_menu = view_menu.addMenu("A&ppearance")
        self.appearance_actions = {}
        group = QActionGroup(self)
        for value, title in (("system", "&System"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(title, self, objectName=f"appearance{value.title()}Action", checkable=True)
            action.setToolTip(f"Colours: {'follow the system setting' if value == 'system' else value}")
            action.triggered.connect(lambda _checked=False, v=value: self.set_appearance(v))
            group.addAction(action)
            appearance_menu.addAction(action)
            self.appearance_actions[value] = action
        view_menu.addSeparator()
        view_menu.addAction(self.options_dock.toggleViewAction())
        view_menu.addAction(self.attention_action)
        models_menu = bar.addMenu("&Models")
        models_menu.addAction(manage)
        models_menu.addSeparator()
        models_menu.addActions([self.best_model_action, self.default_model_action, refresh])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([about, about_qt])

    def _connect_worker(self) -> None:
        w = self.worker
        self._listRequested.connect(w.listModels)
        self._loadRequested.connect(w.loadModel)
        self._threadsRequested.connect(w.setThreads)
        self._warmUpRequested.connect(w.warmUp)
        w.modelsListed.connect(self._on_models_listed)
        w.modelLoading.connect(self._on_model_loading)
        w.modelLoaded.connect(self._on_model_loaded)
        w.modelFailed.connect(self._on_model_failed)
        w.deviceChanged.connect(self.device_status.setText)
        w.started.connect(self._on_started)
        w.progress.connect(self._on_progress)
        w.partial.connect(self._on_partial)
        w.translated.connect(self._on_translated)
        w.cancelled.connect(self._on_cancelled)
        w.failed.connect(self._on_failed)

    def _connect_training_tab(self) -> None:
        tab = self.training_tab
        tab.errorOccurred.connect(lambda message: self.report_error(message, ErrorSource.TRAINING))
        tab.trainEventShown.connect(lambda _event: self.resolve_errors(ErrorSource.TRAINING, ErrorSource.TRANSLATION))
        tab.modelSaved.connect(lambda *_: self.resolve_errors(ErrorSource.TRAINING, ErrorSource.TRANSLATION))
        tab.noticeOccurred.connect(lambda message: self.report_notice(message, ErrorSource.TRAINING))   # e.g. a run to resume
        tab.useModelRequested.connect(self.use_model)
        tab.modelSaved.connect(self._on_model_trained)
        tab.stateChanged.connect(lambda _state: self._update_training_title())
        tab.progress.valueChanged.connect(lambda _value: self._update_training_title())
        self.worker.modelsListed.connect(tab.set_models)

    def _restore_settings(self) -> None:
        s = self.settings
        self.options_panel.set_options(s.decoding())
        self.as_you_type_check.setChecked(s.get(Key.AS_YOU_TYPE))
        self.as_you_type_action.setChecked(s.get(Key.AS_YOU_TYPE))
        self.auto_layout_action.setChecked(s.get(Key.LAYOUT) == "auto")
        if s.get(Key.APPEARANCE) != "system":
            self.set_appearance(s.get(Key.APPEARANCE))
        else:
            self.appearance_actions["system"].setChecked(True)
        self._apply_font()
        geometry = _from_base64(s.get(Key.WINDOW_GEOMETRY))
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self._default_size())
        state = _from_base64(s.get(Key.WINDOW_STATE))
        if state is not None:
            self.restoreState(state)
        self._apply_layout()

    def _default_size(self) -> QSize:
        """1100 × 640, or 90 % of a smaller screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return QSize(1100, 640)
        available = screen.availableGeometry()
        return QSize(min(1100, int(available.width() * 0.9)), min(640, int(available.height() * 0.9)))

    # ---- start-up and shutdown -------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started and not self._shown:
            self._shown = True
            QTimer.singleShot(0, self._after_first_show)

    def _after_first_show(self) -> None:
        """Runs once the show and its first paint are processed: only now is torch imported."""
        self.windowShown.emit()
        self.start()

    def start(self) -> None:
        """Start the worker thread and load the model (idempotent; ``show`` calls it)."""
        if self._started or self._closed:
            return
        self._started = True
        self._worker_thread.start()
        self._listRequested.emit()
        self._request_model(self.settings.get(Key.MODEL))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed and not self.training_tab.confirm_close():
            event.ignore()               # "No": keep training, keep the window
            return
        self.hide()                      # gone at once, even while the last batch finishes
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save the window's geometry, stop any translation and training, join the worker threads.

        A training run stops at its next step and keeps a resumable checkpoint.
        """
        if self._closed:
            return
        self._closed = True
        self._debounce.stop()
        self._busy_timer.stop()
        if self._dock_hidden_by_tab:     # the Training tab hid it; the saved state keeps the user's choice
            self.options_dock.setVisible(True)
        self._store({Key.WINDOW_GEOMETRY: _to_base64(self.saveGeometry()), Key.WINDOW_STATE: _to_base64(self.saveState())})
        if not self.training_tab.shutdown():
            self.report_error("The training thread did not stop in time.")
        if not self._worker_thread.shutdown():
            self.report_error("The translation thread did not stop in time.")

    # ---- the Training tab ------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        """The decoding options belong to translating: out of the way on the Training tab."""
        training = self.tabs.widget(index) is self.training_tab
        if training and not self.options_dock.isHidden() and not self.options_dock.isFloating():
            self._dock_hidden_by_tab = True
            self.options_dock.setVisible(False)
        elif not training and self._dock_hidden_by_tab:
            self._dock_hidden_by_tab = False
            self.options_dock.setVisible(True)
        if training:
            self.training_tab.start()

    def _update_training_title(self) -> None:
        tab = self.training_tab
        bar = tab.progress
        if tab.training and bar.maximum() > 1:
            self.tabs.setTabText(1, f"Training · {100 * bar.value() // bar.maximum()}%")
        else:
            self.tabs.setTabText(1, "Training")

    def _on_model_trained(self, name: str, folder: str) -> None:
        self.refresh_models()            # the new model appears in the picker at once
        self.show_info(f"Model “{name}” saved; “Use this model” in the Training tab switches to it.", self.NOTICE_MS)

    def use_model(self, folder: str) -> None:
        """Make a (newly trained) model the one in use, through the same path as the model picker."""
        if not self._started:
            return
        self.tabs.setCurrentWidget(self.translate_page)
        self.refresh_models()
        self._request_model(folder)

    # ---- translating ----------------------------------------------------------------------------

    def translate_now(self, live: bool = False) -> int | None:
        """Send the input to the worker; returns the request id, or None when nothing was sent.

        ``live`` requests (as-you-type) are skipped when they would repeat the translation already
        shown; the Translate button always translates.
        """
        self._debounce.stop()
        text = self.source_edit.toPlainText()
        if not text.strip():
            self._clear_output()
            if not live:
                self.show_info("Type or paste German text to translate.", 5000)
            return None
        if self.model is None:
            self._translate_when_ready = True
            if not live:
                if self._loading is not None:
                    self.show_info("The model is still loading; your text is translated as soon as it is ready.", 0)
                else:
                    self.report_error("No translation model is loaded. Choose one in the model list.")
            return None
        options = self.options_panel.options()
        last = self.last_result
        if live and last is not None and last.source == text and last.options == options and last.id >= self._discard_below:
            return None
        request = TranslationRequest(next(self._ids), text, options)
        self.worker.submit(request)
        self.translationRequested.emit(request)
        return request.id

    def cancel_translation(self) -> None:
        if self._running_live is not None:
            self.worker.cancel(self._running_live)
            self.show_info("Cancelling…", 0)

    def _on_source_changed(self) -> None:
        if not self.source_edit.toPlainText().strip():
            self._debounce.stop()
            self._clear_output()
            if self._running_live is not None:
                self.worker.cancel(self._running_live)
            return
        if self.as_you_type_check.isChecked():
            self._debounce.start()

    def _on_options_changed(self, options: dict[str, Any]) -> None:
        self._store({**{key: options[field] for key, field in DECODING_FIELDS.items()},
                     Key.CUSTOM_DECODING: self.options_panel.custom_fields(options)})
        if options["n_best"] <= 1:
            self.target.show_alternatives([], 1)
        else:
            self.target.alternatives_box.setVisible(True)
        if self.as_you_type_check.isChecked() and self.source_edit.toPlainText().strip():
            self._debounce.start()      # the next translation uses the new options at once

    def _on_started(self, request_id: int, characters: int) -> None:
        if request_id == self.files.job_id:
            return
        self._running_live = request_id
        self.cancel_action.setEnabled(True)
        if characters >= self.LONG_TEXT_CHARS:
            self._show_progress(busy=True)
        else:
            self._busy_timer.start()

    def _on_progress(self, request_id: int, done: int, total: int) -> None:
        self.translationProgress.emit(request_id, done, total)
        if request_id != self._running_live:
            return
        if done < total or self.progress_bar.isVisible():
            self._show_progress(busy=False)
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            self.progress_bar.setFormat(f"%p% of {total:,} sentences")

    def _on_partial(self, request_id: int, text: str) -> None:
        """A long text: the sentences translated so far, in order, while the rest is still being done."""
        if request_id == self._running_live and request_id >= self._discard_below:
            self._partial_shown = request_id
            self.target_edit.setPlainText(text)
            self.target.info.setText("Translating the rest…")

    def _on_translated(self, result: TranslationResult) -> None:
        self._live_finished(result.id)
        if result.id < self._discard_below:
            return
        self.resolve_errors(ErrorSource.TRANSLATION, ErrorSource.TRAINING)   # translating works (again)
        self.last_result = result
        self.target_edit.setPlainText(result.text)
        notice = " ".join(n for n in (self._truncated_notice(result), self._domain_notice(result)) if n)
        self.target.show_confidence(result.confidence, self._low_threshold(), notice)
        self.target.show_alternatives(result.alternatives, result.options.get("n_best", 1))
        self._show_alignment(result.alignments[0] if result.alignments else None)
        sentences = plural(result.sentences, "sentence")
        self.target.info.setText(f"{sentences} · {result.seconds:.2f} s")
        self.time_status.setText(f"Last: {result.seconds:.2f} s")
        self.time_status.setToolTip(f"The last translation took {result.seconds:.3f} s")
        if self.statusBar().currentMessage().startswith(("Cancelling", "The model is still loading")):
            self.show_info("", 0, background=True)
        self.translationShown.emit(result)

    def _low_threshold(self) -> float:
        from translator_app.core.confidence import ConfidenceThresholds

        return ConfidenceThresholds.from_metadata(self.model.confidence if self.model else None).low

    @staticmethod
    def _truncated_notice(result: TranslationResult) -> str:
        if not result.truncated:
            return ""
        which = "One sentence" if result.truncated == 1 else f"{result.truncated:,} sentences"
        return (f"{which} reached the output length limit (Max output length, {result.options.get('max_length')} "
                "subwords, or about twice the source's length) and may be cut short.")

    def _domain_notice(self, result: TranslationResult) -> str:
        if not result.out_of_domain or self.model is None:
            return ""
        domains = f" ({', '.join(self.model.domains)} text)" if self.model.domains else ""
        return (f"The model is unsure of most of this text: it looks unlike what {self.model.name}{domains} was "
                "trained on. Highlighted sentences may be wrong (hover one to see why).")

    def _on_cancelled(self, request_id: int) -> None:
        self.translationCancelled.emit(request_id)
        if request_id == self.files.job_id:
            self.show_info("File translation cancelled; nothing was written.", 5000)
        if request_id == self._running_live:
            self._live_finished(request_id)
            if self._partial_shown == request_id:        # a cancelled text leaves no half translation behind
                self.target.clear()
            self.show_info("Translation cancelled.", 5000)

    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id == self._running_live:
            self._live_finished(request_id)
            if self._partial_shown == request_id:        # no half translation left that looks finished
                self.target.clear()
        self.report_error(message, ErrorSource.TRANSLATION)

    # ---- the attention view ----------------------------------------------------------------------

    def set_attention_visible(self, on: bool) -> None:
        """The user's choice (View menu, the panel's Hide button); applies to models with attention."""
        self._store({Key.SHOW_ATTENTION: bool(on)})
        self._update_attention_view()

    def _update_attention_view(self) -> None:
        available = self.model is not None and self.model.has_attention
        shown = available and self.settings.get(Key.SHOW_ATTENTION)
        self.attention_action.setEnabled(available)
        self.attention_action.setChecked(shown)
        self.attention_action.setToolTip("Show which German words the model looked at for each English word" if available
                                         else "The current model has no attention to show")
        if shown and not self.attention_panel.isVisible() and not self._attention_sized:
            self._attention_sized = True            # first time: give the heatmap room, then keep the user's split
            total = max(self.attention_splitter.height(), 400)
            self.attention_splitter.setSizes([total * 11 // 20, total * 9 // 20])
        self.attention_panel.setVisible(shown)
        if not available:
            self._show_alignment(None)

    def _show_alignment(self, document) -> None:
        self.attention_panel.set_document(document)
        self.alignment_linker.set_document(document)

    def _on_alternative_chosen(self, text: str) -> None:
        result = self.last_result
        if result is None or not result.alignments:
            return
        rank = next((i for i, (alt, _score) in enumerate(result.alternatives) if alt == text), None)
        if rank is not None and rank < len(result.alignments):
            self._show_alignment(result.alignments[rank])

    def _live_finished(self, request_id: int) -> None:
        if request_id != self._running_live:
            return
        self._running_live = None
        self.cancel_action.setEnabled(False)
        self._busy_timer.stop()
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)

    def _show_progress(self, busy: bool) -> None:
        if self._running_live is None:
            return
        if busy and not self.progress_bar.isVisible():
            self.progress_bar.setRange(0, 0)
            self.progress_bar.setFormat("Translating…")
        self.progress_bar.setVisible(True)
        self.cancel_button.setVisible(True)

    def _clear_output(self) -> None:
        """Empty the output and make any translation still under way arrive as stale."""
        self._discard_below = next(self._ids)
        self.last_result = None
        self.target.clear()
        self._show_alignment(None)
        self.target.alternatives_box.setVisible(self.options_panel.options()["n_best"] > 1)

    # ---- editing --------------------------------------------------------------------------------

    def clear(self) -> None:
        """Empty both panes; the input is removed as one edit, so Ctrl+Z brings it back."""
        had_text = bool(self.source_edit.toPlainText())
        cursor = self.source_edit.textCursor()        # QPlainTextEdit.clear() would also drop the undo history
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        self.source_edit.setTextCursor(cursor)
        self._clear_output()
        self.source_edit.setFocus()
        if had_text:
            self.show_info("Cleared. Undo (Ctrl+Z) brings the text back.", 5000)

    def copy_translation(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QPlainTextEdit) and focus.textCursor().hasSelection():
            focus.copy()                 # Ctrl+C on a selection copies the selection, as everywhere
            return
        text = self.target_edit.toPlainText()
        if not text:
            self.show_info("There is no translation to copy yet.", 4000)
            return
        QGuiApplication.clipboard().setText(text)
        self.show_info("Translation copied to the clipboard.", 3000)

    def paste(self) -> None:
        self.source_edit.setFocus()
        self.source_edit.paste()

    # ---- models ---------------------------------------------------------------------------------

    def refresh_models(self) -> None:
        if self._started:
            self._listRequested.emit()

    def use_best_quality_model(self) -> None:
        best = best_quality_model(self.models)
        if best is None:
            self.report_error("No shipped model reports its quality; choose one in the model list.")
        elif self.model is not None and Path(self.model.path) == Path(best.path):
            self.show_info(f"{best.name} is already in use: it is the best-quality model.", 4000)
        else:
            self._request_model(best)

    def use_default_model(self) -> None:
        default = next((m for m in self.models if m.shipped and m.name == DEFAULT_MODEL), None)
        if default is None:
            self.report_error("The default model is not installed; choose one in the model list.")
        elif self.model is None or Path(self.model.path) != Path(default.path):
            self._request_model(default)

    def show_model_manager(self):
        """Models → Manage Models…; the picker follows every change, and the model in use is handled here."""
        from translator_app.gui.model_manager import ModelManagerDialog

        dialog = ModelManagerDialog(self, active_path=lambda: self.model.path if self.model is not None else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.modelsChanged.connect(self.refresh_models)
        dialog.modelDeleted.connect(self._on_model_deleted)
        dialog.modelRenamed.connect(self._on_model_renamed)
        dialog.open()
        return dialog

    def _on_model_deleted(self, folder: str) -> None:
        if self.model is not None and Path(self.model.path) == Path(folder):
            self.use_default_model()

    def _on_model_renamed(self, old: str, new: str) -> None:
        if self.model is not None and Path(self.model.path) == Path(old):
            self._request_model(new)             # the same weights under the new name: cheap, and it updates the settings

    def _request_model(self, target: ModelEntry | str) -> None:
        name_or_path = str(target.path) if isinstance(target, ModelEntry) else target
        self._tried_models.add(name_or_path)
        self._loading = target
        if self._running_live is not None:
            self.worker.cancel(self._running_live)     # its result would come from the old model
        self._loadRequested.emit(name_or_path, self.settings.get(Key.DEVICE), self.settings.get(Key.CPU_THREADS))

    def _on_models_listed(self, entries: list[ModelEntry]) -> None:
        self.models = entries
        combo = self.model_combo
        combo.blockSignals(True)
        combo.clear()
        for entry in entries:
            role = model_role(entry, entries)       # the label stays short (a narrow window shows it whole);
            label = (entry.name + (f" — {role}" if role else "") + ("" if entry.shipped else " (yours)")   # the rest is
                     + (" (damaged)" if entry.error else ""))                                          # in the tooltip
            combo.addItem(label)
            index = combo.count() - 1
            combo.setItemData(index, str(entry.path), PATH_ROLE)
            combo.setItemData(index, entry.name, NAME_ROLE)
            scores = entry.domain_scores
            bleu = (f"\ntest sacreBLEU: {entry.summary()}" if scores
                    else f" · test BLEU {entry.bleu:.1f}" if entry.bleu is not None else "")
            trained = f"\ntrained on: {', '.join(entry.domains)}" if entry.domains else ""
            tip = entry.error or (f"{entry.description or entry.architecture}\n{entry.architecture} · "
                                  f"{entry.size_bytes / 1e6:.0f} MB{trained}{bleu}\n{entry.path}")
            combo.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
        if not entries:
            combo.addItem("No models installed")
            combo.setItemData(0, f"Put model folders into {user_models_dir()}", Qt.ItemDataRole.ToolTipRole)
        combo.setEnabled(bool(entries))
        combo.blockSignals(False)
        self._select_current_model()

    def _select_current_model(self) -> None:
        """Point the combo at the model in use (or being loaded first at start-up)."""
        path = str(self.model.path) if self.model is not None else None
        name = self.settings.get(Key.MODEL)
        for index in range(self.model_combo.count()):
            item_path = self.model_combo.itemData(index, PATH_ROLE)
            if item_path is None:
                continue
            if (path is not None and Path(item_path) == Path(path)) or (path is None and self.model_combo.itemData(index, NAME_ROLE) == name):
                self.model_combo.blockSignals(True)          # showing the model is not choosing one
                self.model_combo.setCurrentIndex(index)
                self.model_combo.blockSignals(False)
                return

    def _on_model_chosen(self, index: int) -> None:
        path = self.model_combo.itemData(index, PATH_ROLE)
        if path is None or index >= len(self.models):
            return
        entry = self.models[index]
        if self.model is not None and Path(path) == Path(self.model.path) and self._loading is None:
            return
        if isinstance(self._loading, ModelEntry) and self._loading.path == entry.path:
            return
        self._request_model(entry)

    def _on_model_loading(self, name_or_path: str) -> None:
        label = self._loading.name if isinstance(self._loading, ModelEntry) else Path(name_or_path).name
        self.show_info(f"Loading model {label}…", 0, background=True)
        if self.model is None:
            self.model_status.setText(f"Loading {label}…")

    def _on_model_loaded(self, details: ModelDetails) -> None:
        entry = next((e for e in self.models if Path(e.path) == Path(details.path)), None)
        entry_name = entry.name if entry is not None else Path(details.path).name
        self._loading = None
        self.model = details
        self._tried_models.clear()
        self._store({Key.MODEL: entry_name})
        self.options_panel.set_model_defaults(details.default_options, keep=self.settings.get(Key.CUSTOM_DECODING))
        self._update_attention_view()
        self.model_status.setText(f"Model: {details.name}")
        self.model_status.setToolTip(f"{details.description}\n{details.architecture} · {details.path}\nloaded in {details.seconds:.1f} s")
        self.device_status.setText(details.device)
        self.device_status.setToolTip("Where the model runs (change it in Preferences)")
        if not self._fallback_loading:                 # a model the user chose works: an earlier load error is history
            self.resolve_errors(ErrorSource.MODEL)
        self._fallback_loading = False                 # (a fallback's load leaves the error saying why it is in use)
        self.show_info(f"Model {details.name} ready.", 4000, background=True)
        self._set_model_ready(True)
        self._select_current_model()
        self.training_tab.set_current_model(details.path)
        self.training_tab.start()        # the model is in: now list the unfinished training runs
        self.modelReady.emit(details.name)
        if self.source_edit.toPlainText().strip() and (self._translate_when_ready or self.last_result is not None
                                                       or self.as_you_type_check.isChecked()):
            self.last_result = None
            self.translate_now(live=False)
        else:
            self._warmUpRequested.emit()
        self._translate_when_ready = False

    def _on_model_failed(self, name_or_path: str, message: str) -> None:
        self._loading = None
        self.training_tab.start()
        label = Path(name_or_path).name or name_or_path
        if self.model is not None:
            self.report_error(f"Could not load model “{label}”: {message}. Still using “{self.model.name}”.", ErrorSource.MODEL)
            self._select_current_model()
            return
        fallback = next((e for e in self.models if not e.error and str(e.path) not in self._tried_models
                         and e.name not in self._tried_models), None)
        if fallback is not None:
            self.report_error(f"Could not load model “{label}”: {message}. Trying “{fallback.name}” instead.", ErrorSource.MODEL)
            self._fallback_loading = True
            self._request_model(fallback)
            return
        if not self.models:
            message = (f"No translation model is installed. Put a model folder (config.json, model.safetensors, "
                       f"spm.model) into {user_models_dir()} and press F5, or reinstall the app.")
            self.target_edit.setPlaceholderText("No translation model is installed — see the status bar.")
        else:
            message = f"Could not load model “{label}”: {message}"
        self.model_status.setText("No model")
        self._set_model_ready(False)
        self.report_error(message, ErrorSource.MODEL)

    def _set_model_ready(self, ready: bool) -> None:
        self.translate_button.setEnabled(ready)
        self.translate_action.setEnabled(ready)
        self.translate_file_action.setEnabled(ready)
        self.translate_button.setToolTip("Translate now (Ctrl+Enter)" if ready else "No model is loaded yet")

    # ---- files ----------------------------------------------------------------------------------

    def choose_file_to_translate(self) -> None:
        if self.model is None:
            self.report_error("No translation model is loaded.")
            return
        if self.files.running:
            self.report_error("A file is already being translated.")
            return
        try:
            chosen = self.files.choose_and_start(self.settings.get(Key.LAST_DIRECTORY))
        except (ValueError, RuntimeError, TextFileError) as exc:
            self.report_error(str(exc))
            return
        if chosen is not None:
            self._store({Key.LAST_DIRECTORY: str(chosen[0].parent)})

    def _on_file_translated(self, result: FileResult) -> None:
        self.show_info(
            f"Translated {result.source.name} ({result.characters:,} characters, {result.encoding}) "
            f"to {result.target} in {result.seconds:.1f} s.", self.NOTICE_MS)

    # ---- settings, preferences, view ------------------------------------------------------------

    def _store(self, values: dict[Key, Any]) -> None:
        try:
            self.settings.update(values)
        except OSError as exc:
            self.report_error(f"Could not save the settings to {self.settings.path}: {exc.strerror or exc}")

    def _on_as_you_type_toggled(self, on: bool) -> None:
        self.as_you_type_action.setChecked(on)
        self._store({Key.AS_YOU_TYPE: on})
        if on and self.source_edit.toPlainText().strip():
            self._debounce.start()

    def show_preferences(self) -> PreferencesDialog:
        values = {key: self.settings.get(key) for key in Key}
        values[Key.AS_YOU_TYPE] = self.as_you_type_check.isChecked()
        dialog = PreferencesDialog(values, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.values()))
        dialog.open()
        return dialog

    def apply_preferences(self, values: dict[Key, Any]) -> None:
        old_device, old_threads = self.settings.get(Key.DEVICE), self.settings.get(Key.CPU_THREADS)
        self._store(values)
        self.options_panel.set_options({field: values[key] for key, field in DECODING_FIELDS.items()}, notify=True)
        self.as_you_type_check.setChecked(values[Key.AS_YOU_TYPE])
        self._apply_font()
        if values[Key.DEVICE] != old_device and self._started:
            target = next((e for e in self.models if self.model is not None and Path(e.path) == Path(self.model.path)), None)
            self._request_model(target or self.settings.get(Key.MODEL))
        elif values[Key.CPU_THREADS] != old_threads and self._started:
            self._threadsRequested.emit(values[Key.CPU_THREADS])

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.model, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def set_appearance(self, value: str) -> None:
        """View → Appearance: System follows the desktop's light/dark setting; Light and Dark stay put."""
        from translator_app.gui.theme import set_color_scheme

        self._store({Key.APPEARANCE: value})
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(value)
        set_color_scheme(QApplication.instance(), scheme)
        self.appearance_actions[value].setChecked(True)

    def _font(self) -> QFont:
        font = QFont(QApplication.font())
        family, size = self.settings.get(Key.FONT_FAMILY), self.settings.get(Key.FONT_SIZE)
        if family:
            font.setFamily(family)
        if size:
            font.setPointSize(size)
        return font

    def _apply_font(self) -> None:
        font = self._font()
        for widget in (self.source_edit, self.target_edit, self.alternatives_list, self.attention_panel.heatmap):
            widget.setFont(font)                 # the heatmap's labels and cells follow the text size too

    def change_font_size(self, step: int) -> None:
        """+1 / -1 point, or 0 for the system size (View menu, Ctrl++ / Ctrl+- / Ctrl+0)."""
        if step == 0:
            size = 0
        else:
            current = self.settings.get(Key.FONT_SIZE) or QApplication.font().pointSize()
            if current <= 0:                 # a pixel-sized system font has no point size
                current = 10
            size = min(max(current + step, FONT_SIZES[0]), FONT_SIZES[1])
        self._store({Key.FONT_SIZE: size})
        self._apply_font()

    def swap_layout(self) -> None:
        horizontal = self.splitter.orientation() == Qt.Orientation.Horizontal
        self._store({Key.LAYOUT: "stacked" if horizontal else "side-by-side"})
        self.auto_layout_action.setChecked(False)
        self._apply_layout()

    def _on_auto_layout(self, on: bool) -> None:
        current = "stacked" if self.splitter.orientation() == Qt.Orientation.Vertical else "side-by-side"
        self._store({Key.LAYOUT: "auto" if on else current})
        self._apply_layout()

    def _apply_layout(self) -> None:
        mode = self.settings.get(Key.LAYOUT)
        if mode == "auto":
            self._place_dock_for_width()
            stacked = self._text_area_width() < self.NARROW_WIDTH
        else:
            stacked = mode == "stacked"
        wanted = Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            half = (self.splitter.height() if stacked else self.splitter.width()) // 2
            self.splitter.setSizes([half, half])

    def _place_dock_for_width(self) -> None:
        """A window pushed to the narrowest the panes and the options allow side by side gets the options
        below, so it can be made as narrow as about 480 px; widened well past that, they go back right."""
        dock = self.options_dock
        if dock.isFloating():
            return
        side_by_side = self.tabs.minimumSizeHint().width() + dock.minimumSizeHint().width()
        area = self.dockWidgetArea(dock)
        compact = self.width() <= side_by_side + (10 if area == Qt.DockWidgetArea.RightDockWidgetArea else 60)
        if compact and area == Qt.DockWidgetArea.RightDockWidgetArea:
            self._dock_moved_for_width = True
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        elif not compact and self._dock_moved_for_width and area == Qt.DockWidgetArea.BottomDockWidgetArea:
            self._dock_moved_for_width = False
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        else:
            return
        self.layout().activate()          # the dock's new geometry now, for the pane layout decided next

    def _text_area_width(self) -> int:
        """The width left for the panes: the window less a docked (not floating) options panel."""
        dock = self.options_dock
        docked = dock.isVisible() and not dock.isFloating() and self.dockWidgetArea(dock) in (
            Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        return self.width() - (dock.width() if docked else 0)

    def _on_dock_moved(self, *_args) -> None:
        if self.settings.get(Key.LAYOUT) == "auto":
            QTimer.singleShot(0, self._apply_layout)     # after the dock has its new size

    def _arrange_for_width(self, compact: bool) -> None:
        """A narrow window puts "Translate as you type" and Translate on a second row, so the model
        picker keeps its whole name, and leaves the model's name to the picker in the status bar."""
        if compact == self._compact:
            return
        self._compact = compact
        for widget in (self.as_you_type_check, self.translate_button):
            self._top_row.removeWidget(widget)
            self._second_row.removeWidget(widget)
        if compact:
            self._second_row.insertWidget(0, self.as_you_type_check)
            self._second_row.addWidget(self.translate_button)
        else:
            self._top_row.addWidget(self.as_you_type_check)
            self._top_row.addWidget(self.translate_button)
        policy = QSizePolicy.Policy.Expanding if compact else QSizePolicy.Policy.Preferred
        self.model_combo.setSizePolicy(policy, QSizePolicy.Policy.Fixed)
        if hasattr(self, "model_status"):
            self.model_status.setVisible(not compact)
            self.time_status.setVisible(not compact)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange_for_width(self.width() < self.NARROW_WIDTH)
        if self.settings.get(Key.LAYOUT) == "auto":
            self._apply_layout()

    # ---- the one place errors go ----------------------------------------------------------------

    def report_error(self, message: str, source: ErrorSource = ErrorSource.OTHER) -> None:
        """Every error shows here: in the status bar (full text in its tooltip) and ``errorReported``.

        It stays for ``ERROR_MS``; background news (a model loaded) does not push it away, but
        ``resolve_errors`` takes it down as soon as what it was about works again.
        """
        self.last_error = message
        self._error_source = source
        self._show_sticky(f"⚠ {message}", self.ERROR_MS)
        self.errorReported.emit(message)

    def resolve_errors(self, *sources: ErrorSource) -> None:
        """The condition behind an error from one of ``sources`` is gone: clear it from the status bar."""
        if self._error_source in sources and time.monotonic() < self._sticky_until:
            self._error_source = None
            self._sticky_until = 0.0
            self.statusBar().clearMessage()
            self.statusBar().setToolTip("")

    def report_notice(self, message: str, source: ErrorSource | None = None) -> None:
        """Something the user should read though nothing failed (settings were reset, …); with a
        ``source``, it goes when that is resolved, as an error would."""
        self._error_source = source
        self._show_sticky(message, self.NOTICE_MS)

    def show_info(self, message: str, timeout_ms: int, *, background: bool = False) -> None:
        """A passing message. ``background`` ones (not caused by the user) never hide an error."""
        if background and time.monotonic() < self._sticky_until:
            return
        self._sticky_until = 0.0
        self.statusBar().setToolTip("")
        if message:
            self.statusBar().showMessage(message, timeout_ms)
        else:
            self.statusBar().clearMessage()

    def _show_sticky(self, message: str, timeout_ms: int) -> None:
        self._sticky_until = time.monotonic() + timeout_ms / 1000
        self.statusBar().showMessage(message, timeout_ms)
        self.statusBar().setToolTip(message)


def _to_base64(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _from_base64(text: str) -> QByteArray | None:
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except ValueError:
        return None
