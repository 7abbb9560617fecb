"""The window's two tabs: Translate, and Training (fine-tuning on the user's own data).

The Training tab starts its worker only when first needed; its title shows a run's progress, so
the run can be followed from the Translate tab.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from translator_app.gui.training import TrainingTab
from translator_app.gui.translate_page import TranslatePage


class MainTabs(QTabWidget):
    trainingShown = Signal(bool)  # the Training tab is (no longer) the current one

    def __init__(self, translate_page: TranslatePage, training_tab: TrainingTab):
        super().__init__()
        self.setObjectName("mainTabs")
        self.translate_page, self.training_tab = translate_page, training_tab
        self.setDocumentMode(True)
        self.addTab(translate_page, "Translate")
        self.addTab(training_tab, "Training")
        self.setTabToolTip(0, "Translate German text (Ctrl+1)")
        self.setTabToolTip(1, "Fine-tune a model on your own parallel texts, or train a new one (Ctrl+2)")
        self.currentChanged.connect(self._on_changed)
        training_tab.stateChanged.connect(lambda _state: self._update_training_title())
        training_tab.progress.valueChanged.connect(lambda _value: self._update_training_title())

    def show_translate(self) -> None:
        self.setCurrentWidget(self.translate_page)

    def show_training(self) -> None:
        self.setCurrentWidget(self.training_tab)

    def _on_changed(self, index: int) -> None:
        training = self.widget(index) is self.training_tab
        self.trainingShown.emit(training)
        if training:
            self.training_tab.start()

    def _update_training_title(self) -> None:
        tab, bar = self.training_tab, self.training_tab.progress
        running = tab.training and bar.maximum() > 1
        self.setTabText(self.indexOf(tab), f"Training · {100 * bar.value() // bar.maximum()}%" if running else "Training")
