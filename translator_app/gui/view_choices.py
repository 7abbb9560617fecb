"""The View menu's lasting choices: colours, text size and the attention panel.

Each is a setting, applied at once and again at the next start. ``ViewChoices`` answers the menu
and the attention panel's Hide button itself, and keeps the menu's check marks in step.
"""

from __future__ import annotations

from typing import Any, Callable, cast

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from translator_app.gui.menu_bar import ATTENTION_TIP, MenuBar
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.settings import FONT_SIZES, Key, Settings
from translator_app.gui.translate_page import TranslatePage


class ViewChoices(QObject):
    def __init__(
        self,
        settings: Settings,
        store: Callable[[dict[Key, Any]], None],
        page: TranslatePage,
        menus: MenuBar,
        model: Callable[[], ModelDetails | None],
    ):
        super().__init__(page)
        self._settings, self._store, self._page, self._menus, self._model = settings, store, page, menus, model
        menus.appearanceChosen.connect(self.set_appearance)
        menus.fontSizeStepped.connect(self.change_font_size)
        menus.attentionToggled.connect(self.set_attention_visible)
        page.attention_panel.hideRequested.connect(lambda: self.set_attention_visible(False))

    def restore(self) -> None:
        """Apply the saved choices (at start-up)."""
        appearance = self._settings.get(Key.APPEARANCE)
        if appearance != "system":
            self.set_appearance(appearance)
        else:
            self._menus.appearance_actions["system"].setChecked(True)
        self.apply_font()

    def set_appearance(self, value: str) -> None:
        """View → Appearance: System follows the desktop's light/dark setting; Light and Dark stay put."""
        from translator_app.gui.theme import set_color_scheme

        self._store({Key.APPEARANCE: value})
        scheme = {"light": Qt.ColorScheme.Light, "dark": Qt.ColorScheme.Dark}.get(value)
        set_color_scheme(cast(QApplication, QApplication.instance()), scheme)  # the stub says QCoreApplication
        self._menus.appearance_actions[value].setChecked(True)

    def apply_font(self) -> None:
        self._page.set_text_font(self._settings.get(Key.FONT_FAMILY), self._settings.get(Key.FONT_SIZE))

    def change_font_size(self, step: int) -> None:
        """+1 / -1 point, or 0 for the system size (View menu, Ctrl++ / Ctrl+- / Ctrl+0)."""
        if step == 0:
            size = 0
        else:
            current = self._settings.get(Key.FONT_SIZE) or QApplication.font().pointSize()
            if current <= 0:  # a pixel-sized system font has no point size
                current = 10
            size = min(max(current + step, FONT_SIZES[0]), FONT_SIZES[1])
        self._store({Key.FONT_SIZE: size})
        self.apply_font()

    def set_attention_visible(self, on: bool) -> None:
        """The user's choice (View menu, the panel's Hide button); applies to models with attention."""
        self._store({Key.SHOW_ATTENTION: bool(on)})
        self.update_attention()

    def update_attention(self) -> None:
        """Show the attention panel if the model in use has attention and the user wants it."""
        model = self._model()
        available = model is not None and model.has_attention
        shown = available and self._settings.get(Key.SHOW_ATTENTION)
        action = self._menus.attention_action
        action.setEnabled(available)
        action.setChecked(shown)
        action.setToolTip(ATTENTION_TIP if available else "The current model has no attention to show")
        self._page.show_attention(shown, available)
