"""Help → About: the app, the loaded model's card, and the licenses of what ships with it."""

from __future__ import annotations

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

import translator_app
from translator_app.core.credits import CORPORA
from translator_app.gui.model_details import ModelDetails
from translator_app.gui.named import named

LICENSES = """\
# Licenses

**translator-app** {version} — MIT License.

This application bundles or uses:

| Component | License |
|---|---|
| Qt {qt} / PySide6 (Qt for Python) | LGPL v3 |
| PyTorch | BSD 3-Clause |
| SentencePiece | Apache 2.0 |
| spaCy | MIT |
| safetensors | Apache 2.0 |
| NumPy | BSD 3-Clause |
| sacreBLEU | Apache 2.0 |
| platformdirs | MIT |
| pyqtgraph | MIT |

The shipped models were trained on these corpora:

| Corpus | Domain | Licence | Credit |
|---|---|---|---|
{corpora}

See each corpus's terms before redistributing the models for commercial use.

Qt is used under the LGPL v3: you may replace the Qt libraries in this bundle with your own build.
"""


def licenses_markdown() -> str:
    corpora = "\n".join(f"| {c.name} | {c.domain} | {c.licence} | {c.credit} |" for c in CORPORA)
    return LICENSES.format(version=translator_app.__version__, qt=qVersion(), corpora=corpora)


def about_markdown(model: ModelDetails | None) -> str:
    lines = [
        f"# translator-app {translator_app.__version__}",
        "",
        "An offline German → English translator. Nothing you type leaves this computer.",
        "",
    ]
    if model is not None:
        lines += [
            f"- Model: **{model.name}** ({model.architecture})",
            f"- Device: {model.device}",
            f"- Model folder: `{model.path}`",
        ]
    else:
        lines += ["- No model is loaded."]
    lines += [f"- Qt {qVersion()}"]
    return "\n".join(lines) + "\n"


class AboutDialog(QDialog):
    def __init__(self, model: ModelDetails | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About translator-app")
        self.tabs = named(QTabWidget(), "aboutTabs")
        self.tabs.addTab(self._browser("aboutText", about_markdown(model)), "About")
        card = model.card if model is not None else "# No model loaded\n\nChoose a model in the main window."
        self.tabs.addTab(self._browser("modelCardText", card), "Model card")
        self.tabs.addTab(self._browser("licensesText", licenses_markdown()), "Licenses")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        title = QLabel("<b>translator-app</b> — offline German → English")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 32)

    @staticmethod
    def _browser(name: str, markdown: str) -> QTextBrowser:
        browser = named(QTextBrowser(), name)
        browser.setOpenExternalLinks(True)
        browser.setMarkdown(markdown)
        return browser
