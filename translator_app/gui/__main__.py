"""``python -m translator_app.gui``: open the window without going through the CLI."""

from translator_app.gui.app import run

raise SystemExit(run())
