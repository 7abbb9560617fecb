"""The Training tab: fine-tune a model (or train a new one) on the user's own parallel file.

Left: the data (file dialog or drag-and-drop; two aligned files, TSV/CSV with a column mapping, or
TMX), a preview of the first pairs with the usable and skipped counts, the validation set, what to
train and how long. Right: Start / Pause / Cancel, the progress bar with its ETA, the live loss
plot and the log. Everything slow (reading a big file, building the model, timing steps,
training, saving) happens on the ``TrainingWorker``'s thread; this widget only sends it requests
and reacts to its signals, so the window and translation stay responsive while a run trains.
Errors leave through ``errorOccurred`` (the window's one error place) and the log.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPalette, QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFrame, QGridLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QProgressBar,
    QPushButton, QRadioButton, QScrollArea, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from translator_app.core.run_limits import MIN_TRAINING_PAIRS
from translator_app.gui.loss_plot import LossPlot
from translator_app.gui.textstats import plural
from translator_app.gui.training_worker import (
    PreviewResult, RunInfo, RunOutcome, TrainingThread, UnfinishedRun, steps_for,
)

PATH_ROLE = Qt.ItemDataRole.UserRole
PATH_SEPARATOR = " ; "
DATA_FILTER = ("Parallel text (*.tsv *.csv *.tmx *.txt *.de *.en *.gz);;"
               "TSV / CSV (*.tsv *.csv *.txt *.gz);;TMX (*.tmx *.xml *.gz);;All files (*)")
FORMATS = [(None, "Detect automatically"), ("aligned", "Two line-aligned files"), ("tsv", "TSV (tab-separated)"),
           ("csv", "CSV (comma or semicolon)"), ("tmx", "TMX translation memory")]
FORMAT_NAMES = {"aligned": "two aligned files", "tsv": "TSV", "csv": "CSV", "tmx": "TMX"}
FINE_TUNE = {"epochs": 5, "learning_rate": 3e-4, "warmup_steps": 50, "batch_size": 64}     # as the CLI
FROM_SCRATCH = {"epochs": 20, "learning_rate": 1e-3, "warmup_steps": 300, "batch_size": 128}
MAX_VOCAB = 8000
MIN_VOCAB = 600
START_TIP = (f"Start training; the window and translating keep working meanwhile (a run needs at least "
             f"{MIN_TRAINING_PAIRS} usable pairs)")
STEP_LOG_SECONDS = 10.0
NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

IDLE, ESTIMATING, PREPARING, TRAINING, PAUSING, PAUSED, STOPPING, SAVING = (
    "idle", "estimating", "preparing", "training", "pausing", "paused", "stopping", "saving")
RUNNING_STATES = (PREPARING, TRAINING, PAUSING, PAUSED, STOPPING)


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def split_paths(text: str) -> list[str]:
    return [p.strip().strip('"') for p in text.split(";") if p.strip()]


class LearningRateSpin(QDoubleSpinBox):
    """A learning rate shown as 0.0003 / 1e-05 and stepped by ×1.5, not by a fixed amount."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(1e-6, 1.0)

    def textFromValue(self, value: float) -> str:
        return f"{value:.2g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            state = QValidator.State.Intermediate if re.fullmatch(r"[0-9.eE+-]*", stripped) else QValidator.State.Invalid
            return state, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = self.value() * (1.5 ** steps)
        self.setValue(float(f"{value:.2g}"))


class TrainingTab(QWidget):
    errorOccurred = Signal(str)           # for the window's one error place
    noticeOccurred = Signal(str)          # something to read in the status bar (an unfinished run)
    useModelRequested = Signal(str)       # folder of the model to translate with
    modelSaved = Signal(str, str)         # name, folder of a newly saved model
    previewShown = Signal(object)         # PreviewResult, or None when the file could not be read
    estimateShown = Signal(float)         # seconds
    runFinished = Signal(object)          # RunOutcome
    trainEventShown = Signal(object)      # a core TrainEvent, after the tab has shown it (plot, progress, log)
    stateChanged = Signal(str)
    runsListed = Signal(list)             # [UnfinishedRun]

    _startUpRequested = Signal()
    _scanRequested = Signal()
    _previewRequested = Signal(int, list, object, object)
    _estimateRequested = Signal(dict)
    _trainRequested = Signal(dict)
    _resumeRequested = Signal(str)
    _publishRequested = Signal(str)
    _discardRequested = Signal(str)

    def __init__(self, device: Callable[[], str] = lambda: "auto", last_directory: Callable[[], str] = lambda: "",
                 remember_directory: Callable[[str], None] = lambda folder: None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.setAcceptDrops(True)
        self._device = device
        self._last_directory = last_directory
        self._remember_directory = remember_directory
        self.train_overrides: dict[str, Any] = {}     # extra TrainConfig fields (tests, scripts: precision, ...)
        self.hyperparameters: dict[str, Any] = {}     # architecture settings for a new model
        self.state = IDLE
        self.preview: PreviewResult | None = None
        self.validation_preview: PreviewResult | None = None
        self._table_source: tuple[list[str], str] | None = None
        self._requested_paths: list[str] | None = None
        self.runs: list[UnfinishedRun] = []
        self.run_info: RunInfo | None = None
        self.saved_model: tuple[str, str] | None = None
        self._started = False
        self._closed = False
        self._preview_ids = iter(range(1, 1 << 62))
        self._data_request = 0
        self._validation_request = 0
        self._models: list = []
        self._current_model_path: str | None = None
        self._base_chosen = False
        self._name_edited = False
        self._last_suggestion = ""
        self._awaiting_name = False
        self._announced_runs = False
        self._last_step_log = 0.0
        self._last_step_at: float | None = None
        self._validation_seconds = 0.0
        self._best: tuple[float, int] | None = None

        self._build()
        self._thread = TrainingThread()
        self.worker = self._thread.worker
        self._connect_worker()
        self._set_state(IDLE)

    # ---- construction ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = self._build_banner()
        left = QWidget(objectName="trainingSetup")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.addWidget(self.banner)      # above the form, so showing it never moves the plot or the log
        left_layout.addWidget(self._build_data_group(), 1)
        left_layout.addWidget(self._build_model_group())
        left_layout.addWidget(self._build_settings_group())
        scroll = QScrollArea(objectName="trainingSetupScroll")
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.setMinimumWidth(430)
        scroll.setMinimumWidth(450)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="trainingSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self._build_run_panel())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        content = QWidget(objectName="trainingContent")
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.splitter, 1)
        # Narrower or lower than the form needs (a small window, the narrow layout): scroll, rather
        # than forcing the whole window, the Translate tab included, to stay this wide.
        outer = QScrollArea(objectName="trainingScroll")
        outer.setWidget(content)
        outer.setWidgetResizable(True)
        outer.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(outer)

    def _build_banner(self) -> QFrame:
        banner = QFrame(objectName="resumeBanner")
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner.setAutoFillBackground(True)
        banner.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.banner_label = QLabel(objectName="resumeBannerLabel")
        self.banner_label.setWordWrap(True)
        self.runs_combo = QComboBox(objectName="unfinishedRunCombo")
        self.runs_combo.setToolTip("Unfinished training runs (closed or stopped before they finished)")
        self.runs_combo.currentIndexChanged.connect(self._describe_selected_run)
        self.resume_button = QPushButton("Resume", objectName="resumeRunButton")
        self.resume_button.setToolTip("Go on training this run from its last checkpoint")
        self.resume_button.clicked.connect(self.resume_selected_run)
        self.discard_button = QPushButton("Discard", objectName="discardRunButton")
        self.discard_button.setToolTip("Delete this run's checkpoint (its data files are not touched)")
        self.discard_button.clicked.connect(self.discard_selected_run)
        row = QHBoxLayout(banner)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.runs_combo)
        row.addWidget(self.resume_button)
        row.addWidget(self.discard_button)
        banner.setVisible(False)
        return banner

    def _build_data_group(self) -> QGroupBox:
        group = QGroupBox("Training data", objectName="trainingDataGroup")
        self.file_edit = QLineEdit(objectName="trainingFileEdit")
        self.file_edit.setPlaceholderText("Choose or drop a TSV, CSV or TMX file, or two aligned files")
        self.file_edit.setToolTip("One TSV, CSV or TMX file, or a German and an English file whose lines match\n"
                                  "(separate two paths with ';'). You can also drop the file(s) onto this tab.")
        self.file_edit.setAccessibleName("Training data file")
        self.file_edit.editingFinished.connect(self._on_file_edited)
        self.browse_button = QPushButton("Browse…", objectName="trainingBrowseButton")
        self.browse_button.setToolTip("Choose one file, or two line-aligned files at once")
        self.browse_button.clicked.connect(self.choose_data_files)

        self.format_combo = QComboBox(objectName="trainingFormatCombo")
        for fmt, label in FORMATS:
            self.format_combo.addItem(label, fmt)
        self.format_combo.setToolTip("How the file is read; detected from its name and content unless you choose")
        self.format_combo.currentIndexChanged.connect(self._on_format_chosen)
        self.german_column = QComboBox(objectName="germanColumnCombo")
        self.english_column = QComboBox(objectName="englishColumnCombo")
        for combo, language in ((self.german_column, "German"), (self.english_column, "English")):
            combo.setToolTip(f"The column that holds the {language} sentences")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            combo.activated.connect(self._on_columns_chosen)
        self.columns_row = QWidget(objectName="columnMappingRow")
        columns = QHBoxLayout(self.columns_row)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(QLabel("German:"))
        columns.addWidget(self.german_column, 1)
        columns.addWidget(QLabel("English:"))
        columns.addWidget(self.english_column, 1)
        self.columns_row.setVisible(False)

        self.preview_table = QTableWidget(0, 2, objectName="trainingPreviewTable")
        self.preview_table.setHorizontalHeaderLabels(["German", "English"])
        self.preview_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setWordWrap(False)
        self.preview_table.setAlternatingRowColors(True)
        self.preview_table.setMinimumHeight(120)
        self.preview_table.setAccessibleName("Preview of the first sentence pairs")
        self.data_summary = QLabel("No file chosen yet.", objectName="trainingDataSummary")
        self.data_summary.setWordWrap(True)
        self.data_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.holdout_radio = QRadioButton("Hold out", objectName="holdoutRadio")
        self.holdout_radio.setChecked(True)
        self.holdout_spin = QSpinBox(objectName="holdoutSpin")
        self.holdout_spin.setRange(1, 40)
        self.holdout_spin.setValue(5)
        self.holdout_spin.setSuffix(" % of the pairs")
        tip = ("This share of your pairs, picked at random (at most 1,000), is set aside to measure the\n"
               "validation loss and BLEU after every epoch; the model never trains on them.")
        self.holdout_radio.setToolTip(tip)
        self.holdout_spin.setToolTip(tip)
        self.validation_radio = QRadioButton("File:", objectName="validationFileRadio")
        self.validation_edit = QLineEdit(objectName="validationFileEdit")
        self.validation_edit.setPlaceholderText("separate validation file(s), same format")
        tip = ("A separate validation set in the same format as the training data (two files for aligned text,\n"
               "separated by ';'); all of the training file is then trained on.")
        self.validation_radio.setToolTip(tip)
        self.validation_edit.setToolTip(tip)
        self.validation_edit.editingFinished.connect(self._on_validation_edited)
        self.validation_browse = QPushButton("…", objectName="validationBrowseButton")
        self.validation_browse.setToolTip("Choose the validation file(s)")
        self.validation_browse.setFixedWidth(self.fontMetrics().horizontalAdvance("…") * 4 + 12)
        self.validation_browse.clicked.connect(self.choose_validation_files)
        self.validation_group = QButtonGroup(self)
        self.validation_group.addButton(self.holdout_radio)
        self.validation_group.addButton(self.validation_radio)
        self.validation_radio.toggled.connect(self._on_validation_mode)
        self.validation_summary = QLabel("", objectName="validationSummary")
        self.validation_summary.setWordWrap(True)
        self.validation_summary.setVisible(False)

        grid = QGridLayout(group)
        grid.addWidget(QLabel("File:"), 0, 0)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        grid.addLayout(file_row, 0, 1)
        grid.addWidget(QLabel("Format:"), 1, 0)
        grid.addWidget(self.format_combo, 1, 1)
        grid.addWidget(self.columns_row, 2, 1)
        grid.addWidget(self.preview_table, 3, 0, 1, 2)
        grid.addWidget(self.data_summary, 4, 0, 1, 2)
        grid.addWidget(QLabel("Validation:"), 5, 0)
        holdout_row = QHBoxLayout()
        holdout_row.addWidget(self.holdout_radio)
        holdout_row.addWidget(self.holdout_spin)
        holdout_row.addStretch(1)
        grid.addLayout(holdout_row, 5, 1)
        validation_row = QHBoxLayout()
        validation_row.addWidget(self.validation_radio)
        validation_row.addWidget(self.validation_edit, 1)
        validation_row.addWidget(self.validation_browse)
        grid.addLayout(validation_row, 6, 1)
        grid.addWidget(self.validation_summary, 7, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)
        self._on_validation_mode(False)
        return group

    def _build_model_group(self) -> QGroupBox:
        group = QGroupBox("Model", objectName="trainingModelGroup")
        self.fine_tune_radio = QRadioButton("Fine-tune", objectName="fineTuneRadio")
        self.fine_tune_radio.setToolTip("Start from an existing model and adapt it to your data: fast, and useful with a\n"
                                        "few thousand pairs. The existing model is not changed; the result is a new model.")
        self.fine_tune_radio.setChecked(True)
        self.scratch_radio = QRadioButton("New model", objectName="fromScratchRadio")
        self.scratch_radio.setToolTip("Train a new model with its own vocabulary from nothing: needs far more data\n"
                                      "(tens of thousands of pairs) and time than fine-tuning.")
        modes = QButtonGroup(self)
        modes.addButton(self.fine_tune_radio)
        modes.addButton(self.scratch_radio)
        self.base_combo = QComboBox(objectName="baseModelCombo")
        self.base_combo.setToolTip("The model to start from (default: the one in use)")
        self.base_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.base_combo.setMinimumContentsLength(14)
        self.base_combo.activated.connect(self._on_base_chosen)
        self.architecture_combo = QComboBox(objectName="architectureCombo")
        self.architecture_combo.setToolTip("The network of the new model (the PyTorch seq2seq tutorials' six)")
        self.architecture_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.architecture_combo.setMinimumContentsLength(14)
        self.architecture_combo.currentIndexChanged.connect(lambda _i: self._suggest_name())
        self.vocab_spin = QSpinBox(objectName="vocabSizeSpin")
        self.vocab_spin.setRange(300, 64000)
        self.vocab_spin.setSingleStep(500)
        self.vocab_spin.setValue(MAX_VOCAB)
        self.vocab_spin.setToolTip("Subword vocabulary of the new model (SentencePiece pieces shared by both languages).\n"
                                   "Smaller suits less data; it is suggested from the size of your file.")
        self.name_edit = QLineEdit(objectName="trainingNameEdit")
        self.name_edit.setValidator(QRegularExpressionValidator(QRegularExpression(NAME_PATTERN), self.name_edit))
        self.name_edit.setPlaceholderText("name of the new model")
        self.name_edit.setToolTip("The new model is saved under this name in your data folder (letters, digits,\n"
                                  "'.', '_' or '-'). An existing model is never overwritten.")
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.fine_tune_radio.toggled.connect(self._on_mode_changed)

        grid = QGridLayout(group)
        grid.addWidget(self.fine_tune_radio, 0, 0)
        grid.addWidget(self.base_combo, 0, 1, 1, 3)
        grid.addWidget(self.scratch_radio, 1, 0)
        grid.addWidget(self.architecture_combo, 1, 1)
        vocab_label = QLabel("Vocabulary:")
        vocab_label.setBuddy(self.vocab_spin)
        grid.addWidget(vocab_label, 1, 2)
        grid.addWidget(self.vocab_spin, 1, 3)
        name_label = QLabel("Save as:")
        name_label.setBuddy(self.name_edit)
        grid.addWidget(name_label, 2, 0)
        grid.addWidget(self.name_edit, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        return group

    def _build_settings_group(self) -> QGroupBox:
        group = QGroupBox("Training", objectName="trainingSettingsGroup")
        self.epochs_spin = QSpinBox(objectName="epochsSpin")
        self.epochs_spin.setRange(1, 1000)
        self.epochs_spin.setToolTip("How many times training goes through all your pairs. Fine-tuning needs few (3–10),\n"
                                    "a new model many (20 or more). Training stops early once the validation BLEU\n"
                                    "has not improved for 4 epochs; the best epoch is the one saved.")
        self.lr_spin = LearningRateSpin()
        self.lr_spin.setObjectName("learningRateSpin")
        self.lr_spin.setToolTip("The optimiser's peak step size (Adam), reached after a short warm-up and then lowered\n"
                                "gradually. Fine-tuning: about 0.0003 (smaller keeps more of what the model knew);\n"
                                "a new model: about 0.001. If the loss jumps up or becomes NaN, lower it.")
        self.batch_spin = QSpinBox(objectName="batchSizeSpin")
        self.batch_spin.setRange(1, 4096)
        self.batch_spin.setToolTip("Sentence pairs per training step. Larger batches are faster per pair (on a GPU\n"
                                   "especially) but need more memory and make fewer steps per epoch.\n"
                                   "Lower it if you run out of memory.")
        self.sampling_check = QCheckBox("Vary subword splits", objectName="subwordSamplingCheck")
        self.sampling_check.setToolTip("Split the training sentences into subwords differently every epoch (subword\n"
                                       "regularization). The model learns the words rather than one way of cutting them.\n"
                                       "An epoch has about 10% more subwords to learn. On Multi30k it helped the Transformer,\n"
                                       "trained 25 epochs, but not the LSTM without attention, which learned more slowly.")
        self.estimate_button = QPushButton("Estimate time", objectName="estimateButton")
        self.estimate_button.setToolTip("Read the data, build the model and time a few real training steps on this\n"
                                        "device to estimate how long the whole run takes")
        self.estimate_button.clicked.connect(self.estimate)
        self.estimate_label = QLabel("", objectName="estimateLabel")
        self.estimate_label.setWordWrap(True)

        form = QHBoxLayout()
        for label, widget in (("Epochs:", self.epochs_spin), ("Learning rate:", self.lr_spin), ("Batch:", self.batch_spin)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addWidget(caption)
            form.addWidget(widget, 1)
        estimate = QHBoxLayout()
        estimate.addWidget(self.estimate_button)
        estimate.addWidget(self.estimate_label, 1)
        layout = QVBoxLayout(group)
        layout.addLayout(form)
        layout.addWidget(self.sampling_check)
        layout.addLayout(estimate)
        self._apply_mode_defaults()
        return group

    def _build_run_panel(self) -> QWidget:
        panel = QWidget(objectName="trainingRunPanel")
        self.start_button = QPushButton("Start", objectName="startTrainingButton")
        self.start_button.setToolTip(START_TIP)
        self.start_button.clicked.connect(self.start_training)
        self.pause_button = QPushButton("Pause", objectName="pauseTrainingButton")
        self.pause_button.setToolTip("Pause after the current step and save a checkpoint; Resume goes on from there")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.cancel_button = QPushButton("Cancel", objectName="cancelTrainingButton")
        self.cancel_button.setToolTip("Stop after the current step. If at least one epoch has finished,\n"
                                      "the best model so far is saved.")
        self.cancel_button.clicked.connect(self.cancel_training)
        width = max(self.fontMetrics().horizontalAdvance(t) for t in ("Pausing…", "Resume", "Cancel")) + 32
        for button in (self.start_button, self.pause_button, self.cancel_button):
            button.setMinimumWidth(width)
        self.progress = QProgressBar(objectName="trainingProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Not started")
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName("Training progress")
        self.stats_label = QLabel("", objectName="trainingStatsLabel")
        self.stats_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.plot = LossPlot()
        self.log = QPlainTextEdit(objectName="trainingLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.log.setAccessibleName("Training log")
        self.log.setPlaceholderText("What the run does and how it goes appears here.")
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(7.0, QFont().pointSizeF() * 0.9))
        self.log.setFont(mono)
        self.log_splitter = QSplitter(Qt.Orientation.Vertical, objectName="trainingLogSplitter")
        self.log_splitter.setChildrenCollapsible(False)
        self.log_splitter.addWidget(self.plot)
        self.log_splitter.addWidget(self.log)
        self.log_splitter.setStretchFactor(0, 3)
        self.log_splitter.setStretchFactor(1, 1)
        self.log_splitter.setSizes([3000, 1000])          # scaled to the space there is: plot ¾, log ¼

        self.saved_label = QLabel("", objectName="trainedModelLabel")
        self.saved_label.setWordWrap(True)
        self.use_button = QPushButton("Use this model", objectName="useTrainedModelButton")
        self.use_button.setToolTip("Translate with the model just trained (it is also in the model list)")
        self.use_button.clicked.connect(self.use_trained_model)
        self.use_button.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        saved = QHBoxLayout()
        saved.addWidget(self.saved_label, 1)
        saved.addWidget(self.use_button)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.stats_label)
        layout.addWidget(self.log_splitter, 1)
        layout.addLayout(saved)
        return panel

    def _connect_worker(self) -> None:
        w = self.worker
        self._startUpRequested.connect(w.startUp)
        self._scanRequested.connect(w.scanRuns)
        self._previewRequested.connect(w.preview)
        self._estimateRequested.connect(w.estimate)
        self._trainRequested.connect(w.train)
        self._resumeRequested.connect(w.resumeRun)
        self._publishRequested.connect(w.publish)
        self._discardRequested.connect(w.discardRun)
        w.architecturesListed.connect(self._on_architectures)
        w.runsFound.connect(self._on_runs_found)
        w.previewReady.connect(self._on_preview_ready)
        w.previewFailed.connect(self._on_preview_failed)
        w.status.connect(self._log)
        w.prepared.connect(self._on_prepared)
        w.estimated.connect(self._on_estimated)
        w.trainingStarted.connect(self._on_training_started)
        w.trainEvent.connect(self._on_train_event)
        w.finished.connect(self._on_finished)
        w.published.connect(self._on_published)
        w.nameRejected.connect(self._on_name_rejected)
        w.failed.connect(self._on_failed)
        w.idle.connect(self._on_idle)

    # ---- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread: list architectures and unfinished runs (idempotent)."""
        if self._started or self._closed:
            return
        self._started = True
        self._thread.start()
        self._startUpRequested.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.start)

    @property
    def training(self) -> bool:
        """A run is under way (being prepared, training, paused or stopping)."""
        return self.state in RUNNING_STATES

    def confirm_close(self) -> bool:
        """Ask before closing during a run. Yes: pause, keep a resumable checkpoint and close; No: keep training."""
        if not self.training:
            return True
        answer = QMessageBox.question(
            self, "Training is running",
            "A training run is in progress.\n\n"
            "Yes: pause it, keep a checkpoint and close; you can resume it from the Training tab next time.\n"
            "No: keep training (the window stays open).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> bool:
        """Stop a run at its next step (its checkpoint stays, resumable) and join the thread."""
        if self._closed:
            return True
        self._closed = True
        if self.training:
            self._log("Closing: stopping after the current step and keeping the checkpoint…")
        self.plot._timer.stop()
        return self._thread.shutdown()

    @property
    def training_thread(self):
        """The QThread the worker runs on."""
        return self._thread.thread

    # ---- models (from the window) ----------------------------------------------------------------

    def set_models(self, entries: list) -> None:
        """The installed models (``ModelEntry``), for the fine-tuning choice."""
        self._models = [e for e in entries if not getattr(e, "error", None)]
        keep = self.base_combo.currentData(PATH_ROLE) if self._base_chosen else self._current_model_path
        self.base_combo.clear()
        for entry in self._models:
            self.base_combo.addItem(entry.name + ("" if entry.shipped else " (yours)"))
            index = self.base_combo.count() - 1
            self.base_combo.setItemData(index, str(entry.path), PATH_ROLE)
            self.base_combo.setItemData(index, entry.name, Qt.ItemDataRole.UserRole + 1)
            self.base_combo.setItemData(index, f"{entry.description or entry.architecture}\n{entry.path}", Qt.ItemDataRole.ToolTipRole)
        self._select_base(keep)
        self._suggest_name()

    def set_current_model(self, path: str | Path) -> None:
        """The model in use: the default to fine-tune."""
        self._current_model_path = str(path)
        if not self._base_chosen:
            self._select_base(self._current_model_path)
            self._suggest_name()

    def _select_base(self, path: str | None) -> None:
        if path is None:
            return
        for index in range(self.base_combo.count()):
            if Path(self.base_combo.itemData(index, PATH_ROLE)) == Path(path):
                self.base_combo.setCurrentIndex(index)
                return

    def _on_base_chosen(self, _index: int) -> None:
        self._base_chosen = True
        self._suggest_name()

    def _on_architectures(self, architectures: list) -> None:
        current = self.architecture_combo.currentData()
        self.architecture_combo.clear()
        for name, title in architectures:
            self.architecture_combo.addItem(name, name)
            self.architecture_combo.setItemData(self.architecture_combo.count() - 1, title, Qt.ItemDataRole.ToolTipRole)
        index = self.architecture_combo.findData(current or "lstm")
        self.architecture_combo.setCurrentIndex(max(index, 0))

    # ---- choosing data --------------------------------------------------------------------------

    def choose_data_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose the training data (one file, or two aligned files)",
                                                self._last_directory(), DATA_FILTER)
        if paths:
            self._remember_directory(str(Path(paths[0]).parent))
            self.set_data_files(paths)

    def choose_validation_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Choose the validation data (same format as the training data)",
                                                self._last_directory(), DATA_FILTER)
        if paths:
            self.set_validation_files(paths)

    def set_data_files(self, paths: list[str | Path]) -> None:
        """Show these file(s) and read a preview of them on the worker thread."""
        paths = [str(p) for p in paths]
        self.file_edit.setText(PATH_SEPARATOR.join(paths))
        self._request_data_preview(paths, self.format_combo.currentData(), None)

    def set_validation_files(self, paths: list[str | Path]) -> None:
        self.validation_edit.setText(PATH_SEPARATOR.join(str(p) for p in paths))
        self.validation_radio.setChecked(True)
        self._request_validation_preview()

    def _on_file_edited(self) -> None:
        paths = split_paths(self.file_edit.text())
        current = self.preview.paths if self.preview else None
        if paths and paths != current and paths != self._requested_paths:
            self._request_data_preview(paths, self.format_combo.currentData(), None)

    def _on_format_chosen(self, _index: int) -> None:
        paths = split_paths(self.file_edit.text())
        if paths:
            self._request_data_preview(paths, self.format_combo.currentData(), None)

    def _on_columns_chosen(self, _index: int) -> None:
        if self._table_source is None:
            return
        paths, fmt = self._table_source          # the TSV/CSV last shown (a re-read may be under way)
        columns = (self.german_column.currentIndex(), self.english_column.currentIndex())
        if self.preview is None or columns != self.preview.columns:
            self._request_data_preview(paths, fmt, columns)

    def _request_data_preview(self, paths: list[str], fmt: str | None, columns: tuple[int, int] | None) -> None:
        self.start()
        self._requested_paths = paths
        self._data_request = next(self._preview_ids)
        self.preview = None
        self.data_summary.setText("Reading " + ", ".join(Path(p).name for p in paths) + "…")
        self.estimate_label.setText("")
        self._update_buttons()
        self._previewRequested.emit(self._data_request, list(paths), fmt, columns)

    def _request_validation_preview(self) -> None:
        paths = split_paths(self.validation_edit.text())
        self.validation_preview = None
        if not paths:
            self.validation_summary.setVisible(False)
            return
        self.start()
        self._validation_request = next(self._preview_ids)
        fmt = self.preview.format if self.preview else self.format_combo.currentData()
        columns = self.preview.columns if self.preview else None
        self.validation_summary.setText("Reading " + ", ".join(Path(p).name for p in paths) + "…")
        self.validation_summary.setVisible(True)
        self._previewRequested.emit(self._validation_request, paths, fmt, columns)

    def _on_validation_edited(self) -> None:
        paths = split_paths(self.validation_edit.text())
        if paths and (self.validation_preview is None or paths != self.validation_preview.paths):
            self.validation_radio.setChecked(True)
            self._request_validation_preview()

    def _on_validation_mode(self, separate: bool) -> None:
        self.holdout_spin.setEnabled(not separate)
        self.validation_edit.setEnabled(separate)
        self.validation_browse.setEnabled(separate)
        self.validation_summary.setVisible(separate and bool(self.validation_summary.text()))

    def _on_preview_ready(self, request_id: int, result: PreviewResult) -> None:
        if request_id == self._validation_request:
            self.validation_preview = result
            self.validation_summary.setText(f"Validation: {result.summary}")
            return
        if request_id != self._data_request:
            return                                   # an older request: the user has chosen again
        self.preview = result
        self.file_edit.setText(PATH_SEPARATOR.join(result.paths))   # German first for aligned files
        table = self.preview_table
        table.setRowCount(len(result.pairs))
        for row, (german, english) in enumerate(result.pairs):
            for column, text in enumerate((german, english)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        self.data_summary.setText(self._describe_preview(result))
        self.data_summary.setToolTip(result.summary)
        self._show_columns(result)
        self._suggest_vocab(result.kept)
        self._suggest_name()
        self._update_buttons()
        self.previewShown.emit(result)

    def _on_preview_failed(self, request_id: int, message: str) -> None:
        if request_id == self._validation_request:
            self.validation_preview = None
            self.validation_summary.setText(f"⚠ {message}")
            self.errorOccurred.emit(message)
            return
        if request_id != self._data_request:
            return
        self.preview = None
        self.preview_table.setRowCount(0)
        self.data_summary.setText(f"⚠ {message}")
        self.data_summary.setToolTip(message)
        self._update_buttons()
        self.errorOccurred.emit(message)
        self.previewShown.emit(None)

    @staticmethod
    def _describe_preview(result: PreviewResult) -> str:
        text = plural(result.kept, "usable pair")
        if result.kept < MIN_TRAINING_PAIRS:
            text = f"⚠ {text}: a run needs at least {MIN_TRAINING_PAIRS}"
        skipped = sum(result.skipped.values())
        if skipped:
            reasons = ", ".join(f"{n:,} {reason}" for reason, n in sorted(result.skipped.items(), key=lambda kv: -kv[1]))
            text += f" · {skipped:,} skipped ({reasons})"
        text += f" · {FORMAT_NAMES.get(result.format, result.format)}, {result.encoding}"
        if result.kept > len(result.pairs):
            text += f" · the first {len(result.pairs)} shown"
        return text

    def _show_columns(self, result: PreviewResult) -> None:
        table = result.format in ("tsv", "csv") and bool(result.column_labels)
        self.columns_row.setVisible(table)
        self._table_source = (result.paths, result.format) if table else None
        if not table:
            return
        for combo, chosen in ((self.german_column, result.columns[0]), (self.english_column, result.columns[1])):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(result.column_labels)
            combo.setCurrentIndex(chosen if chosen < combo.count() else -1)
            combo.blockSignals(False)

    def _suggest_vocab(self, kept: int) -> None:
        # SentencePiece cannot learn more pieces than a small corpus holds, nor fewer than its 256
        # byte pieces plus every character it has to keep: a quarter of the pairs, at least 600,
        # suits little data; 8,000 a corpus of Multi30k's size or more.
        self.vocab_spin.setValue(int(min(MAX_VOCAB, max(MIN_VOCAB, kept // 4)) // 100 * 100))

    # ---- drag and drop --------------------------------------------------------------------------

    @staticmethod
    def _dropped_paths(mime) -> list[str]:
        if not mime.hasUrls():
            return []
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        return paths if 1 <= len(paths) <= 2 and all(Path(p).is_file() for p in paths) else []

    def dragEnterEvent(self, event) -> None:
        if self.state == IDLE and self._dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._dropped_paths(event.mimeData())
        if not paths or self.state != IDLE:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_data_files(paths)

    # ---- what to train --------------------------------------------------------------------------

    def _on_mode_changed(self, _fine_tune: bool) -> None:
        self._apply_mode_defaults()
        self._suggest_name()
        self._update_buttons()

    def _apply_mode_defaults(self) -> None:
        fine = self.fine_tune_radio.isChecked()
        defaults = FINE_TUNE if fine else FROM_SCRATCH
        self.epochs_spin.setValue(defaults["epochs"])
        self.lr_spin.setValue(defaults["learning_rate"])
        self.batch_spin.setValue(defaults["batch_size"])
        self.base_combo.setEnabled(fine and self.state == IDLE)
        self.architecture_combo.setEnabled(not fine and self.state == IDLE)
        self.vocab_spin.setEnabled(not fine and self.state == IDLE)

    def _on_name_edited(self, text: str) -> None:
        self._name_edited = bool(text)
        self._update_buttons()

    def _known_names(self) -> set[str]:
        saved = {self.saved_model[0]} if self.saved_model else set()
        return {e.name for e in self._models} | {r.name for r in self.runs} | saved

    def _suggest_name(self) -> None:
        current = self.name_edit.text().strip()
        if self._name_edited or (current and current != self._last_suggestion):
            return                               # a name the user (or a script) chose stays
        if self.fine_tune_radio.isChecked():
            base = self.base_combo.currentData(Qt.ItemDataRole.UserRole + 1) or "model"
        else:
            base = self.architecture_combo.currentData() or "model"
        stem = ""
        if self.preview is not None:
            stem = re.sub(r"\.(gz|tsv|csv|tmx|txt|xml|de|en)$", "", Path(self.preview.paths[0]).name, flags=re.I)
            stem = re.sub(r"\.(gz|tsv|csv|tmx|txt|xml|de|en)$", "", stem, flags=re.I)
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{base}-{stem}" if stem else f"{base}-mine").strip("-._")[:56] or "my-model"
        taken, candidate, n = self._known_names(), name, 2
        while candidate in taken:
            candidate, n = f"{name}-{n}", n + 1
        self._last_suggestion = candidate
        self.name_edit.setText(candidate)

    def build_spec(self) -> dict[str, Any]:
        """The run as the core's ``RunSpec.from_dict`` takes it (plain data: built without importing torch)."""
        from translator_app.core.text import SUBWORD_SAMPLING_ALPHA   # sentencepiece: not at start-up

        fine = self.fine_tune_radio.isChecked()
        defaults = FINE_TUNE if fine else FROM_SCRATCH
        separate = self.validation_radio.isChecked()
        fraction = self.holdout_spin.value() / 100
        epochs, batch = self.epochs_spin.value(), self.batch_spin.value()
        kept = self.preview.kept if self.preview else 0
        train_pairs = kept if separate else kept - min(1000, max(1, round(kept * fraction)))
        # Warm up over at most a tenth of a short run, so that it reaches its learning rate at all.
        warmup = min(defaults["warmup_steps"], max(1, steps_for(train_pairs, batch, epochs) // 10))
        return {
            "name": self.name_edit.text().strip(),
            "data": list(self.preview.paths) if self.preview else split_paths(self.file_edit.text()),
            "format": self.preview.format if self.preview else self.format_combo.currentData(),
            "columns": list(self.preview.columns) if self.preview and self.preview.columns else None,
            "validation": split_paths(self.validation_edit.text()) if separate else [],
            "validation_fraction": fraction,
            "base_model": self.base_combo.currentData(PATH_ROLE) if fine else None,
            "architecture": self.architecture_combo.currentData() or "lstm",
            "hyperparameters": dict(self.hyperparameters),
            "vocab_size": self.vocab_spin.value(),
            "train": {"epochs": epochs, "batch_size": batch, "learning_rate": self.lr_spin.value(),
                      "warmup_steps": warmup,
                      "subword_sampling": SUBWORD_SAMPLING_ALPHA if self.sampling_check.isChecked() else 0.0,
                      **self.train_overrides},
            "device": self._device(),
        }

    def _problem(self) -> str | None:
        """Why a run cannot start now, or None."""
        if self.preview is None:
            return "Choose a training file first (its preview must show usable pairs)."
        if self.preview.kept < MIN_TRAINING_PAIRS:
            return (f"A run needs at least {MIN_TRAINING_PAIRS} usable pairs (one to train on, one held out for "
                    f"validation); this file has {plural(self.preview.kept, 'usable pair')}.")
        if self.validation_radio.isChecked():
            if not split_paths(self.validation_edit.text()):
                return "Choose the validation file, or hold out a share of the training pairs instead."
            if self.validation_preview is None:
                return "The validation file cannot be used (see the message beside it)."
        if self.fine_tune_radio.isChecked() and self.base_combo.currentData(PATH_ROLE) is None:
            return "There is no model to fine-tune; choose “New model”."
        if not re.fullmatch(NAME_PATTERN, self.name_edit.text().strip()):
            return "Give the new model a name (letters, digits, '.', '_' or '-')."
        return None

    # ---- running --------------------------------------------------------------------------------

    def estimate(self) -> None:
        problem = self._problem()
        if problem:
            self.errorOccurred.emit(problem)
            return
        self.start()
        self.estimate_label.setText("Timing a few steps…")
        self._set_state(ESTIMATING)
        self._estimateRequested.emit(self.build_spec())

    def start_training(self) -> None:
        problem = self._problem()
        if problem:
            self.errorOccurred.emit(problem)
            return
        self.start()
        spec = self.build_spec()
        self._reset_run_view()
        self._log(f"Starting “{spec['name']}”: "
                  + (f"fine-tuning {Path(spec['base_model']).name}" if spec["base_model"] else f"new {spec['architecture']} model")
                  + f", {plural(spec['train']['epochs'], 'epoch')}, learning rate {spec['train']['learning_rate']:g}, "
                    f"batch {spec['train']['batch_size']}, warm-up {plural(spec['train']['warmup_steps'], 'step')}"
                  + (", varied subword splits." if spec["train"]["subword_sampling"] else "."))
        self._set_state(PREPARING)
        self._trainRequested.emit(spec)

    def resume_selected_run(self) -> None:
        run = self._selected_run()
        if run is None or self.state != IDLE:
            return
        self.start()
        self._reset_run_view()
        self.plot.set_history(run.history, run.step_losses)
        if run.base:                                  # before → after survives the stop: the base is epoch 0
            self.plot.add_epoch(0, 0, run.base.get("val_loss"), run.base.get("val_bleu"))
        for record in run.history:
            self._note_best(record.get("val_bleu"), record.get("epoch"))
        self._log(f"Resuming “{run.name}” at epoch {run.epochs_done + 1} of {run.epochs} (step {run.step:,}).")
        self._follow_log()
        self._set_state(PREPARING)
        self._resumeRequested.emit(str(run.run_dir))

    def discard_selected_run(self) -> None:
        run = self._selected_run()
        if run is None or self.state != IDLE:
            return
        answer = QMessageBox.question(self, "Discard the run?",
                                      f"Delete the unfinished run “{run.name}” and its checkpoint?\n"
                                      f"{run.run_dir}\n\nYour data files are not touched.",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self._discardRequested.emit(str(run.run_dir))

    def toggle_pause(self) -> None:
        if self.state == TRAINING:
            self.worker.pause()
            self._set_state(PAUSING)
            self._log("Pausing after the current step…")
        elif self.state == PAUSED:
            self.worker.resume()
            self._set_state(TRAINING)

    def cancel_training(self) -> None:
        if self.state not in (PREPARING, TRAINING, PAUSING, PAUSED):
            return
        self.worker.cancel()
        self._set_state(STOPPING)
        self._log("Stopping after the current step…")

    def use_trained_model(self) -> None:
        if self.saved_model is not None:
            self.useModelRequested.emit(self.saved_model[1])

    def _reset_run_view(self) -> None:
        self.plot.clear()
        self.saved_model = None
        self.saved_label.setText("")
        self.use_button.setVisible(False)
        self.stats_label.setText("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Preparing…")
        self._best = None
        self._validation_seconds = 0.0
        self._last_step_at = None
        self._last_step_log = 0.0

    # ---- worker signals -------------------------------------------------------------------------

    def _on_prepared(self, info: RunInfo) -> None:
        self.run_info = info
        self._log(f"Data: {info.data_report}; {info.train_pairs:,} training and {info.validation_pairs:,} validation "
                  f"pairs; {plural(info.steps_per_epoch, 'step')} per epoch × {plural(info.epochs, 'epoch')} on {info.device}.")
        if self.state != ESTIMATING:
            self.progress.setRange(0, max(1, info.total_steps))

    def _on_estimated(self, seconds: float, info: RunInfo) -> None:
        text = (f"About {format_duration(seconds)} on {info.device}: "
                f"{plural(info.epochs, 'epoch')} × {plural(info.steps_per_epoch, 'step')}")
        self.estimate_label.setText(text)
        self._log(f"Estimate: {text}.")
        self.estimateShown.emit(seconds)

    def _on_training_started(self, info: RunInfo) -> None:
        self._follow_log()
        self.run_info = info
        self.progress.setRange(0, max(1, info.total_steps))
        self.progress.setFormat("Starting…")
        if self.state == PREPARING:
            self._set_state(TRAINING)
        elif self.state == STOPPING:
            self.worker.cancel()                      # Cancel pressed while the run was being prepared

    def _on_train_event(self, event) -> None:
        kind = event.kind
        if kind == "step":
            now = time.monotonic()
            self._last_step_at = now
            if event.loss is not None:
                self.plot.add_step(event.step, event.loss)
            self._show_step(event)
            if now - self._last_step_log >= STEP_LOG_SECONDS:
                self._last_step_log = now
                self._log(f"Step {event.step:,}/{event.total_steps:,}: loss {event.loss:.3f}, "
                          f"{event.tokens_per_second or 0:,.0f} tokens/s")
        elif kind == "epoch":
            if self._last_step_at is not None:
                self._validation_seconds = time.monotonic() - self._last_step_at
            self.plot.add_epoch(event.epoch, event.step, event.val_loss, event.val_bleu)
            self._note_best(event.val_bleu, event.epoch)
            self._log(event.message)
        elif kind == "baseline":                      # fine-tuning: the base model's score, epoch 0 on the plot
            self.plot.add_epoch(0, 0, event.val_loss, event.val_bleu)
            self._log(event.message)
        elif kind == "paused":
            if self.state in (TRAINING, PAUSING):
                self._set_state(PAUSED)
            self.progress.setFormat(f"Paused at step {event.step:,} of {event.total_steps:,}")
            self._log(f"Paused at step {event.step:,}; a checkpoint is saved. Resume goes on from here.")
        elif kind == "resumed":
            if self.state in (PAUSED, PAUSING):
                self._set_state(TRAINING)
            if self.state == TRAINING:
                self._log("Resumed.")
        elif kind == "checkpoint":
            self._log(f"Checkpoint saved at step {event.step:,}.")
        elif event.message:
            self._log(event.message)
        self.trainEventShown.emit(event)

    def _show_step(self, event) -> None:
        total = max(1, event.total_steps)
        self.progress.setRange(0, total)
        self.progress.setValue(min(event.step, total))
        epochs = self.run_info.epochs if self.run_info else 1
        per_epoch = max(1, math.ceil(total / max(epochs, 1)))
        epoch = min(epochs, event.epoch + 1)
        remaining_epochs = max(0, epochs - event.epoch)
        eta = (event.eta_seconds or 0.0) + remaining_epochs * self._validation_seconds
        state = "Pausing · " if self.state == PAUSING else ""
        self.progress.setFormat(f"{state}%p% · epoch {epoch}/{epochs} · step {event.step:,}/{total:,} · ETA {format_duration(eta)}")
        self.progress.setToolTip(f"{per_epoch:,} steps per epoch; the ETA includes validating after each epoch")
        stats = f"loss {event.loss:.3f} · {event.tokens_per_second or 0:,.0f} tokens/s"
        if self._best is not None:
            stats += f" · best BLEU {self._best[0]:.2f} (epoch {self._best[1]})"
        self.stats_label.setText(stats)

    def _note_best(self, bleu: float | None, epoch: int | None) -> None:
        if bleu is not None and epoch is not None and (self._best is None or bleu > self._best[0]):
            self._best = (float(bleu), int(epoch))

    def _on_finished(self, outcome: RunOutcome) -> None:
        self.runFinished.emit(outcome)
        duration = format_duration(outcome.seconds)
        if outcome.status == "closing":
            self._log("Stopped because the window closes; the checkpoint is kept and the run can be resumed here.")
            return
        if not outcome.has_model and outcome.status == "cancelled":
            self.progress.setFormat("Cancelled")
            self._log("Cancelled before the first epoch finished, so there is no model to save. The checkpoint is "
                      "kept: resume or discard the run from the bar at the top of this tab.")
            return
        if not outcome.has_model:                     # every epoch was worse than the base model
            self.progress.setFormat("No better model")
            self._log(outcome.no_model_reason)
            return
        words = {"finished": "Finished", "early-stopped": "Stopped early (no better validation BLEU)", "cancelled": "Cancelled"}
        self.progress.setFormat(f"{words.get(outcome.status, outcome.status)} · {plural(outcome.epochs_completed, 'epoch')} in {duration}")
        if outcome.status == "finished":
            self.progress.setValue(self.progress.maximum())
        self._log(f"{words.get(outcome.status, outcome.status)} after {plural(outcome.epochs_completed, 'epoch')} "
                  f"in {duration}; best validation BLEU "
                  f"{outcome.best_val_bleu:.2f} at epoch {outcome.best_epoch}.")
        self._set_state(SAVING)

    def _on_published(self, name: str, folder: str) -> None:
        self._awaiting_name = False
        self.saved_model = (name, folder)
        self.saved_label.setText(f"Saved as “{name}” in {folder}")
        self.saved_label.setToolTip(folder)
        self.use_button.setVisible(True)
        self.use_button.setEnabled(True)
        self._log(f"Saved the best model as “{name}” in {folder} (with its model card).")
        self._name_edited = False
        self._last_suggestion = self.name_edit.text().strip()     # taken now: the next run gets a new one
        self._suggest_name()
        self.modelSaved.emit(name, folder)

    def _on_name_rejected(self, name: str, message: str) -> None:
        self._awaiting_name = True
        self._log(f"Cannot save as “{name}”: {message}")
        QTimer.singleShot(0, lambda: self._ask_for_name(name, message))

    def _ask_for_name(self, name: str, message: str) -> None:
        suggestion = f"{name}-2" if re.fullmatch(NAME_PATTERN, f"{name}-2") else "my-model"
        text, ok = QInputDialog.getText(self, "Choose another name", f"{message}\n\nSave the trained model as:",
                                        QLineEdit.EchoMode.Normal, suggestion)
        if ok and text.strip():
            self._publishRequested.emit(text.strip())
            return
        self._awaiting_name = False
        self._log("The model was not saved. The finished run is kept: resume it from the bar at the top of this tab "
                  "to save it under another name.")
        self._on_idle()

    def _on_failed(self, message: str) -> None:
        self._log(f"⚠ {message}")
        if self.state == ESTIMATING:
            self.estimate_label.setText("")
        if self.state in RUNNING_STATES:
            self.progress.setFormat("Stopped by an error")
        self.errorOccurred.emit(message)

    def _on_idle(self) -> None:
        if self._awaiting_name or self._closed:
            return
        self._set_state(IDLE)
        self._scanRequested.emit()

    def _on_runs_found(self, runs: list) -> None:
        self.runs = runs
        self.runs_combo.blockSignals(True)
        self.runs_combo.clear()
        for run in runs:
            self.runs_combo.addItem(run.name, str(run.run_dir))
        self.runs_combo.blockSignals(False)
        self.runs_combo.setVisible(len(runs) > 1)
        self._describe_selected_run()
        self._update_buttons()
        if runs and not self._announced_runs:
            self._announced_runs = True
            self.noticeOccurred.emit(f"An unfinished training run (“{runs[0].name}”) can be resumed in the Training tab.")
        self.runsListed.emit(runs)

    def _selected_run(self) -> UnfinishedRun | None:
        index = self.runs_combo.currentIndex()
        return self.runs[index] if 0 <= index < len(self.runs) else None

    def _describe_selected_run(self, *_args) -> None:
        run = self._selected_run()
        if run is None:
            self.banner_label.setText("")
            return
        others = f" ({len(self.runs)} unfinished runs)" if len(self.runs) > 1 else ""
        self.banner_label.setText(f"Unfinished training run{others}: “{run.name}”, {run.description}; "
                                  f"{run.epochs_done} of {plural(run.epochs, 'epoch')} done.")
        self.banner_label.setToolTip(str(run.run_dir))

    # ---- state ----------------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        idle = state == IDLE
        for widget in (self.file_edit, self.browse_button, self.format_combo, self.columns_row, self.holdout_radio, self.validation_radio, self.fine_tune_radio, self.scratch_radio,
                       self.name_edit, self.epochs_spin, self.lr_spin, self.batch_spin, self.sampling_check):
            widget.setEnabled(idle)
        separate = self.validation_radio.isChecked()
        self.holdout_spin.setEnabled(idle and not separate)
        self.validation_edit.setEnabled(idle and separate)
        self.validation_browse.setEnabled(idle and separate)
        fine = self.fine_tune_radio.isChecked()
        self.base_combo.setEnabled(idle and fine)
        self.architecture_combo.setEnabled(idle and not fine)
        self.vocab_spin.setEnabled(idle and not fine)
        self.pause_button.setText({PAUSED: "Resume", PAUSING: "Pausing…"}.get(state, "Pause"))
        self.pause_button.setToolTip("Go on training from where it paused" if state == PAUSED else
                                     "Pause after the current step and save a checkpoint; Resume goes on from there")
        self._update_buttons()
        self.stateChanged.emit(state)

    def _update_buttons(self) -> None:
        idle = self.state == IDLE
        ready = idle and self.preview is not None
        self.start_button.setEnabled(ready)
        self.estimate_button.setEnabled(ready)
        problem = self._problem() if ready else None         # said before Start, not only after a click
        self.start_button.setToolTip(problem or START_TIP)
        self.pause_button.setEnabled(self.state in (TRAINING, PAUSED))
        self.cancel_button.setEnabled(self.state in (PREPARING, TRAINING, PAUSING, PAUSED))
        self.banner.setVisible(idle and bool(self.runs))
        self.resume_button.setEnabled(idle)
        self.discard_button.setEnabled(idle)

    def _log(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def _follow_log(self) -> None:
        """Scroll to the newest line (a run starting or resuming): new lines then keep it in view."""
        bar = self.log.verticalScrollBar()
        bar.setValue(bar.maximum())
