"""The question File → Translate File asks about a PO or XLIFF file: fill in which entries?

It shows what the file holds (the core's ``CatalogSummary``) so the choice is informed: only the
untranslated entries (the default; a human's translations stay as they are), or all of them. Either
way the machine translations are marked for review as the format expects, and the dialog says so.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QRadioButton, QVBoxLayout, QWidget

from translator_app.core.types.catalogs import CatalogKind, CatalogSummary, EntryState, Scope
from translator_app.gui.named import named

REVIEW_MARK = {
    CatalogKind.PO: "gets the fuzzy flag, so msgfmt leaves it out until someone has checked it",
    CatalogKind.XLIFF12: 'gets state="needs-review-translation" (state-qualifier="leveraged-mt")',
    CatalogKind.XLIFF20: 'gets state="translated", below "reviewed" and "final"',
}


class CatalogScopeDialog(QDialog):
    def __init__(self, file_name: str, summary: CatalogSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("catalogScopeDialog")
        self.setWindowTitle("Translate a translation file")
        untranslated = summary.count(EntryState.UNTRANSLATED)
        done = summary.count(EntryState.TRANSLATED) + summary.count(EntryState.FUZZY)
        held = [f"{summary.count(state):,} {state.value}" for state in EntryState if summary.count(state)]
        about = named(
            QLabel(
                f"<b>{escape(file_name)}</b> is a {summary.kind.value} file ({summary.direction.value}) with "
                f"{summary.entries:,} {'entry' if summary.entries == 1 else 'entries'}: {', '.join(held)}."
            ),
            "catalogSummaryLabel",
        )
        about.setWordWrap(True)
        self.untranslated_radio = named(
            QRadioButton(f"Fill in the untranslated entries only ({untranslated})"), "untranslatedOnlyRadio"
        )
        self.all_radio = named(
            QRadioButton(f"Translate all entries, replacing the {done} existing translations"), "allEntriesRadio"
        )
        self.untranslated_radio.setChecked(True)
        note = named(
            QLabel(
                f"Each machine translation {REVIEW_MARK[summary.kind]}. Placeholders such as %s or {{name}} "
                f"and inline markup are copied, not translated."
            ),
            "catalogReviewNote",
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Translate…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (about, self.untranslated_radio, self.all_radio, note, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)

    def scope(self) -> Scope:
        return Scope.ALL if self.all_radio.isChecked() else Scope.UNTRANSLATED
