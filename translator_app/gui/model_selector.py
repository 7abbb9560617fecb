"""The model picker and the model in use: listing, loading, and falling back when a load fails.

The worker lists and loads; ``ModelSelector`` asks for that by signal and keeps the answers: the
listed models (``entries``), the model in use (``current``) and the one being loaded. A model that
will not load leaves the previous one in use; at start-up, when there is none, the next candidate
(``core.catalog.next_candidate``) is tried until one loads or every one has failed. Each outcome is
reported through the status bar's one error policy.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import cast

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QWidget

from translator_app.core.catalog import ModelInfo, best_quality_model, model_role, next_candidate
from translator_app.core.types.architectures import family_order, tutorial_of
from translator_app.core.paths import DEFAULT_MODEL, user_models_dir
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.named import named
from translator_app.gui.settings import Key, Settings
from translator_app.gui.status_reporter import ErrorSource, StatusReporter
from translator_app.gui.worker import TranslationWorker

PATH_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1


class LoadFailure(Enum):
    """Where a failed load leaves the window."""

    KEPT = "kept"  # the previous model stays in use
    FALLBACK = "fallback"  # the next candidate is being loaded
    NO_MODEL = "no model"  # nothing is loaded: translating is off
    NONE_INSTALLED = "none installed"  # ... because no model is installed at all


class ModelCombo(QComboBox):
    """The picker: as wide as its longest model label; the family headings only widen the open list."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        widths = [(metrics.horizontalAdvance(self.itemText(i)), self.itemData(i, PATH_ROLE) is None) for i in range(self.count())]
        models = max((w for w, heading in widths if not heading), default=0)
        overall = max((w for w, _ in widths), default=0)
        return QSize(hint.width() - max(0, overall - max(models, metrics.horizontalAdvance("x" * 12))), hint.height())


class ModelSelector(QObject):
    listRequested = Signal()
    loadRequested = Signal(str, str, int)  # name or path, device setting, CPU threads
    loaded = Signal(object, str)  # ModelDetails, its name in the list (what the settings keep)
    failed = Signal(object)  # LoadFailure, after the status bar says why

    def __init__(self, settings: Settings, status: StatusReporter, window: QWidget):
        super().__init__(window)
        self._window = window  # the model manager opens over it
        self._settings = settings
        self._status = status
        self.current: ModelDetails | None = None
        self.entries: list[ModelInfo] = []
        self.loading: ModelInfo | str | None = None
        self.started = False  # the worker runs: asking it for something now gets an answer
        self._tried: set[str] = set()
        self._fallback = False  # loading another model because the chosen one failed
        self.combo = named(ModelCombo(), "modelCombo")
        self.combo.setAccessibleName("Model")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(12)
        self.combo.setToolTip(f"The translation model. Shipped models first, then your own from\n{user_models_dir()}")
        self.combo.addItem(f"{settings.get(Key.MODEL)} (loading…)")
        self.combo.currentIndexChanged.connect(self._on_chosen)

    def connect_worker(self, worker: TranslationWorker) -> None:
        self.listRequested.connect(worker.listModels)
        self.loadRequested.connect(worker.loadModel)
        worker.modelsListed.connect(self._on_listed)
        worker.modelLoading.connect(self._on_loading)
        worker.modelLoaded.connect(self._on_loaded)
        worker.modelFailed.connect(self._on_failed)

    def start(self) -> None:
        """The worker has started: list the models and load the one the settings name."""
        self.started = True
        self.listRequested.emit()
        self.request(self._settings.get(Key.MODEL))

    def refresh(self) -> None:
        if self.started:
            self.listRequested.emit()

    def request(self, target: ModelInfo | str) -> None:
        """Load a listed model, or one by name or folder."""
        name_or_path = str(target.path) if isinstance(target, ModelInfo) else target
        self._tried.add(name_or_path)
        self.loading = target
        self.loadRequested.emit(name_or_path, self._settings.get(Key.DEVICE), self._settings.get(Key.CPU_THREADS))

    def reload(self) -> None:
        """Load the model in use again (the device setting changed)."""
        if self.started:
            self.request(self._entry_in_use() or self._settings.get(Key.MODEL))

    def use_best_quality(self) -> None:
        best = best_quality_model(self.entries)
        if best is None:
            self._status.report_error("No shipped model reports its quality; choose one in the model list.")
        elif self._in_use(best.path):
            self._status.show_info(f"{best.name} is already in use: it is the best-quality model.", 4000)
        else:
            self.request(best)

    def use_default(self) -> None:
        default = next((m for m in self.entries if m.shipped and m.name == DEFAULT_MODEL), None)
        if default is None:
            self._status.report_error("The default model is not installed; choose one in the model list.")
        elif not self._in_use(default.path):
            self.request(default)

    def show_manager(self):
        """Models → Manage Models…; the picker follows every change, and the model in use is handled here."""
        from translator_app.gui.model_manager import ModelManagerDialog

        dialog = ModelManagerDialog(self._window, active_path=lambda: self.current.path if self.current is not None else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.modelsChanged.connect(self.refresh)
        dialog.modelDeleted.connect(self._on_deleted)
        dialog.modelRenamed.connect(self._on_renamed)
        dialog.open()
        return dialog

    def show_compare(self, text: str = ""):
        """Models → Compare Models…: its own models on its own thread, freed when it closes."""
        from translator_app.gui.compare_view import CompareDialog

        dialog = CompareDialog(self._window, text=text, device=self._settings.get(Key.DEVICE))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _on_deleted(self, folder: str) -> None:
        if self._in_use(folder):
            self.use_default()

    def _on_renamed(self, old: str, new: str) -> None:
        if self._in_use(old):
            self.request(new)  # the same weights under the new name: cheap, and it updates the settings

    def _in_use(self, path: str | Path) -> bool:
        return self.current is not None and Path(self.current.path) == Path(path)

    def _entry_in_use(self) -> ModelInfo | None:
        return next((e for e in self.entries if self._in_use(e.path)), None)

    # ---- the picker -----------------------------------------------------------------------------

    def _on_listed(self, entries: list[ModelInfo]) -> None:
        """The models grouped by the tutorial their architecture comes from, each group under a heading."""
        self.entries = entries
        combo = self.combo
        combo.blockSignals(True)
        combo.clear()
        labels: list[str] = []
        family = None
        for entry in sorted(entries, key=lambda e: family_order(e.architecture)):  # stable: the catalog's order inside
            tutorial = tutorial_of(entry.architecture)
            heading = tutorial.label if tutorial else "Other models"
            if heading != family:
                family = heading
                self._add_heading(heading)
            role = model_role(entry, entries)  # the label stays short (a narrow window shows it whole);
            label = (
                entry.name
                + (f" — {role}" if role else "")
                + ("" if entry.shipped else " (yours)")  # the rest is
                + (" (damaged)" if entry.error else "")
            )  # in the tooltip
            labels.append(label)
            combo.addItem(label)
            index = combo.count() - 1
            combo.setItemData(index, str(entry.path), PATH_ROLE)
            combo.setItemData(index, entry.name, NAME_ROLE)
            combo.setItemData(index, self._tooltip(entry, heading), Qt.ItemDataRole.ToolTipRole)
        if not entries:
            combo.addItem("No models installed")
            combo.setItemData(0, f"Put model folders into {user_models_dir()}", Qt.ItemDataRole.ToolTipRole)
            labels.append(combo.itemText(0))
        bold = QFont(combo.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)  # the open list fits the headings, which are bold
        headings = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
        combo.view().setMinimumWidth(headings + 4 * metrics.averageCharWidth())
        combo.setEnabled(bool(entries))
        combo.blockSignals(False)
        self._select_current()

    def _add_heading(self, text: str) -> None:
        """A family's heading in the list: shown, never chosen."""
        combo = self.combo
        combo.addItem(text)
        index = combo.count() - 1
        item = cast(QStandardItemModel, combo.model()).item(index)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(combo.font())
        font.setBold(True)
        item.setFont(font)
        item.setToolTip(f"Models from {text} of the PyTorch seq2seq tutorials")

    @staticmethod
    def _tooltip(entry: ModelInfo, family: str) -> str:
        scores = entry.domain_scores
        bleu = (
            f"\ntest sacreBLEU: {entry.summary()}"
            if scores
            else f" · test BLEU {entry.bleu:.1f}"
            if entry.bleu is not None
            else ""
        )
        trained = f"\ntrained on: {', '.join(entry.domains)}" if entry.domains else ""
        return entry.error or (
            f"{entry.description or entry.architecture}\n{family} · {entry.architecture} · "
            f"{entry.size_bytes / 1e6:.0f} MB{trained}{bleu}\n{entry.path}"
        )

    def _select_current(self) -> None:
        """Point the picker at the model in use (or, at start-up, the one the settings name)."""
        path = str(self.current.path) if self.current is not None else None
        name = self._settings.get(Key.MODEL)
        for index in range(self.combo.count()):
            item_path = self.combo.itemData(index, PATH_ROLE)
            if item_path is None:
                continue
            if (path is not None and Path(item_path) == Path(path)) or (
                path is None and self.combo.itemData(index, NAME_ROLE) == name
            ):
                self.combo.blockSignals(True)  # showing the model is not choosing one
                self.combo.setCurrentIndex(index)
                self.combo.blockSignals(False)
                return

    def _on_chosen(self, index: int) -> None:
        path = self.combo.itemData(index, PATH_ROLE)
        entry = next((e for e in self.entries if path is not None and str(e.path) == path), None)
        if entry is None:  # a heading, or the "no models" line
            return
        if self._in_use(path) and self.loading is None:
            return
        if isinstance(self.loading, ModelInfo) and self.loading.path == entry.path:
            return
        self.request(entry)

    # ---- the worker's answers -------------------------------------------------------------------

    def _on_loading(self, name_or_path: str) -> None:
        label = self.loading.name if isinstance(self.loading, ModelInfo) else Path(name_or_path).name
        self._status.show_info(f"Loading model {label}…", 0, background=True)
        if self.current is None:
            self._status.show_model_state(f"Loading {label}…")

    def _on_loaded(self, details: ModelDetails) -> None:
        entry = next((e for e in self.entries if Path(e.path) == Path(details.path)), None)
        self.loading = None
        self.current = details
        self._tried.clear()
        self._status.show_model(details)
        if not self._fallback:  # a model the user chose works: an earlier load error is history
            self._status.resolve_errors(ErrorSource.MODEL)
        self._fallback = False  # (a fallback's load leaves the error saying why it is in use)
        self._status.show_info(f"Model {details.name} ready.", 4000, background=True)
        self._select_current()
        self.loaded.emit(details, entry.name if entry is not None else Path(details.path).name)

    def _on_failed(self, name_or_path: str, message: str) -> None:
        self.loading = None
        label = Path(name_or_path).name or name_or_path
        why = f"Could not load model “{label}”: {message}"
        if self.current is not None:
            self._status.report_error(f"{why}. Still using “{self.current.name}”.", ErrorSource.MODEL)
            self._select_current()
            self.failed.emit(LoadFailure.KEPT)
            return
        fallback = next_candidate(self.entries, self._tried)
        if fallback is not None:
            self._status.report_error(f"{why}. Trying “{fallback.name}” instead.", ErrorSource.MODEL)
            self._fallback = True
            self.request(fallback)
            self.failed.emit(LoadFailure.FALLBACK)
            return
        if not self.entries:
            why = (
                f"No translation model is installed. Put a model folder (config.json, model.safetensors, "
                f"spm.model) into {user_models_dir()} and press F5, or reinstall the app."
            )
        self._status.show_model_state("No model")
        self._status.report_error(why, ErrorSource.MODEL)
        self.failed.emit(LoadFailure.NO_MODEL if self.entries else LoadFailure.NONE_INSTALLED)
