"""The Training tab as a package: one panel per job, composed by ``TrainingTab`` around one ``RunState``.

``data_panel``, ``model_panel``, ``settings_panel``, ``run_panel`` and ``banner`` are the widgets;
``state`` the run's states and their one transition table; ``worker`` and ``thread`` the worker on
its own thread, which talks to the tab in ``results``' plain data.
"""

from translator_app.gui.training.state import RunState
from translator_app.gui.training.tab import TrainingTab

__all__ = ["RunState", "TrainingTab"]
