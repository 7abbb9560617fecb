"""The Training tab as a package: one panel per job, composed by ``TrainingTab`` around one ``RunState``.

``data_panel`` (with ``validation_choice`` and ``data_files``), ``model_panel``, ``settings_panel``,
``setup_form``, ``run_panel`` and ``banner`` are the widgets; ``state`` the run's states and their
one transition table, moved by ``run_flow``; ``resume_offer`` the unfinished runs the banner
offers; ``worker`` and ``thread`` the worker on its own thread (``run_folders``: the run folders it
holds), which talks to the tab in ``results``' plain data, read off the core by ``reports``.
"""

from translator_app.gui.training.state import RunState
from translator_app.gui.training.tab import TrainingTab

__all__ = ["RunState", "TrainingTab"]
