"""The window's menus and their shortcuts.

``MenuBar`` only builds actions and says what was asked for, by signal; the window decides what
that does. The actions whose state follows the window (enabled, checked) are attributes. Every
action is also added to the window, so its shortcut works wherever the focus is in it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenuBar

from translator_app.gui.named import named

APPEARANCES = (("system", "&System"), ("light", "&Light"), ("dark", "&Dark"))
ATTENTION_TIP = "Show which German words the model looked at for each English word"


class MenuBar(QMenuBar):
    translateFileRequested = Signal()
    saveTranslationRequested = Signal()
    undoRequested = Signal()
    redoRequested = Signal()
    historyRequested = Signal()
    quitRequested = Signal()
    translateRequested = Signal()
    cancelRequested = Signal()
    copyRequested = Signal()
    pasteRequested = Signal()
    clearRequested = Signal()
    preferencesRequested = Signal()
    glossaryRequested = Signal()
    glossaryToggled = Signal(bool)
    asYouTypeToggled = Signal(bool)
    swapLayoutRequested = Signal()
    autoLayoutToggled = Signal(bool)
    attentionToggled = Signal(bool)
    fontSizeStepped = Signal(int)  # +1, -1, or 0 for the system size
    translateTabRequested = Signal()
    trainingTabRequested = Signal()
    manageModelsRequested = Signal()
    compareModelsRequested = Signal()
    bestModelRequested = Signal()
    defaultModelRequested = Signal()
    refreshModelsRequested = Signal()
    aboutRequested = Signal()
    appearanceChosen = Signal(str)  # "system", "light" or "dark"

    def __init__(self, window: QMainWindow, options_toggle: QAction):
        super().__init__(window)
        self._window = window
        a = self._action
        self.translate_file_action = a(
            "&Translate File…",
            self.translateFileRequested,
            QKeySequence.StandardKey.Open,
            name="translateFileAction",
            tip="Translate a German .txt file into an English .txt file",
        )
        self.save_translation_action = a(
            "&Save Translation…",
            self.saveTranslationRequested,
            QKeySequence.StandardKey.Save,
            name="saveTranslationAction",
            tip="Save the English translation on show as a text file",
        )
        self.save_translation_action.setEnabled(False)
        quit_action = a("&Quit", self.quitRequested, QKeySequence.StandardKey.Quit, name="quitAction")
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.undo_action = a("&Undo", self.undoRequested, QKeySequence.StandardKey.Undo, name="undoAction")
        self.redo_action = a("&Redo", self.redoRequested, QKeySequence.StandardKey.Redo, name="redoAction")
        for action in (self.undo_action, self.redo_action):
            action.setStatusTip("Undo or redo an edit of the German text")
            action.setEnabled(False)
        self.translate_action = a("&Translate", self.translateRequested, ["Ctrl+Return", "Ctrl+Enter"], name="translateAction")
        self.cancel_action = a("Cancel Translation", self.cancelRequested, "Esc", name="cancelAction")
        self.cancel_action.setEnabled(False)
        copy_action = a(
            "&Copy Translation", self.copyRequested, ["Ctrl+Shift+C", QKeySequence.StandardKey.Copy], name="copyAction"
        )
        paste_action = a("&Paste", self.pasteRequested, QKeySequence.StandardKey.Paste, name="pasteAction")
        clear_action = a("C&lear", self.clearRequested, "Ctrl+Shift+Backspace", name="clearAction")
        prefs_action = a("Pre&ferences…", self.preferencesRequested, "Ctrl+,", name="preferencesAction")
        prefs_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.as_you_type_action = a("Translate &As You Type", self.asYouTypeToggled, name="asYouTypeAction", checkable=True)
        glossary_action = a(
            "&Glossary…", self.glossaryRequested, name="glossaryAction", tip="Your German terms and the English they become"
        )
        self.use_glossary_action = a(
            "&Use Glossary", self.glossaryToggled, name="useGlossaryAction", tip="Translate with your glossary", checkable=True
        )

        swap_action = a(
            "&Swap Layout",
            self.swapLayoutRequested,
            "Ctrl+Shift+L",
            name="swapLayoutAction",
            tip="Switch between side-by-side and stacked panes",
        )
        self.auto_layout_action = a(
            "&Automatic Layout",
            self.autoLayoutToggled,
            name="autoLayoutAction",
            tip="Stack the panes when the window is narrow",
            checkable=True,
        )
        self.attention_action = a(
            "A&ttention View", self.attentionToggled, "Ctrl+Shift+A", name="attentionAction", tip=ATTENTION_TIP, checkable=True
        )
        self.attention_action.setEnabled(False)
        bigger = a(
            "&Bigger Text", self.fontSizeStepped, [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], name="biggerFontAction", value=+1
        )
        smaller = a("S&maller Text", self.fontSizeStepped, QKeySequence.StandardKey.ZoomOut, name="smallerFontAction", value=-1)
        reset_font = a("&Normal Text Size", self.fontSizeStepped, "Ctrl+0", name="resetFontAction", value=0)
        refresh = a("&Refresh Model List", self.refreshModelsRequested, "F5", name="refreshModelsAction")
        manage = a(
            "&Manage Models…",
            self.manageModelsRequested,
            name="manageModelsAction",
            tip="List every model; rename, delete, import or export your own",
        )
        compare = a(
            "&Compare Models…",
            self.compareModelsRequested,
            "Ctrl+Shift+M",
            name="compareModelsAction",
            tip="Translate one text with several models and see their translations side by side",
        )
        self.best_model_action = a(
            "Use &Best-Quality Model",
            self.bestModelRequested,
            "Ctrl+Shift+B",
            name="bestModelAction",
            tip="Switch to the shipped model that scores highest (slower than the default)",
        )
        self.default_model_action = a(
            "Use &Default Model",
            self.defaultModelRequested,
            "Ctrl+Shift+D",
            name="defaultModelAction",
            tip="Switch to the default model (fastest)",
        )
        history = a(
            "&History…",
            self.historyRequested,
            "Ctrl+H",
            name="historyAction",
            tip="Your recent translations: restore one, or clear them",
        )
        show_translate = a("T&ranslate Tab", self.translateTabRequested, "Ctrl+1", name="showTranslateTabAction")
        show_training = a(
            "Trai&ning Tab",
            self.trainingTabRequested,
            "Ctrl+2",
            name="showTrainingTabAction",
            tip="Fine-tune a model on your own parallel texts",
        )
        about = a("&About translator-app", self.aboutRequested, name="aboutAction")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about_qt = named(QAction("About &Qt", self), "aboutQtAction")
        about_qt.triggered.connect(QApplication.aboutQt)
        about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)
        window.addAction(about_qt)

        file_menu = self.addMenu("&File")
        file_menu.addActions([self.translate_file_action, self.save_translation_action])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.translate_action, self.cancel_action])
        edit_menu.addSeparator()
        edit_menu.addActions([copy_action, paste_action, clear_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.as_you_type_action, prefs_action])
        edit_menu.addSeparator()
        edit_menu.addActions([glossary_action, self.use_glossary_action])
        view_menu = self.addMenu("&View")
        view_menu.addActions([show_translate, show_training, history])
        view_menu.addSeparator()
        view_menu.addActions([swap_action, self.auto_layout_action])
        view_menu.addSeparator()
        view_menu.addActions([bigger, smaller, reset_font])
        appearance_menu = view_menu.addMenu("A&ppearance")
        self.appearance_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for value, title in APPEARANCES:
            action = named(QAction(title, self, checkable=True), f"appearance{value.title()}Action")
            action.setToolTip(f"Colours: {'follow the system setting' if value == 'system' else value}")
            action.triggered.connect(lambda _checked=False, v=value: self.appearanceChosen.emit(v))
            group.addAction(action)
            appearance_menu.addAction(action)
            self.appearance_actions[value] = action
        view_menu.addSeparator()
        view_menu.addAction(options_toggle)
        view_menu.addAction(self.attention_action)
        models_menu = self.addMenu("&Models")
        models_menu.addActions([manage, compare])
        models_menu.addSeparator()
        models_menu.addActions([self.best_model_action, self.default_model_action, refresh])
        help_menu = self.addMenu("&Help")
        help_menu.addActions([about, about_qt])
        self.set_model_ready(False)

    def set_model_ready(self, ready: bool) -> None:
        """Translating needs a model."""
        self.translate_action.setEnabled(ready)
        self.translate_file_action.setEnabled(ready)

    def _action(
        self, text: str, signal, shortcut=None, *, name: str, tip: str = "", checkable: bool = False, value: int | None = None
    ) -> QAction:
        """An action that emits ``signal``: with ``value`` if given, its checked state if checkable."""
        action = named(QAction(text, self, checkable=checkable), name)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        if checkable:
            action.triggered.connect(lambda checked: signal.emit(checked))
        elif value is not None:
            action.triggered.connect(lambda: signal.emit(value))
        else:
            action.triggered.connect(lambda: signal.emit())
        self._window.addAction(action)
        return action
