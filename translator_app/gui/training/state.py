"""Where a training run is, as the Training tab sees it: one enum, and one table of the moves between states.

The tab enables its widgets, words its Pause button and reads the worker's signals from the state
alone; a move the table does not list is a bug in the tab and is refused (``InvalidTransition``),
not carried out half-way.
"""

from __future__ import annotations

from enum import Enum


class RunState(Enum):
    IDLE = "idle"  # nothing runs: the form can be edited
    ESTIMATING = "estimating"  # the run is prepared and a few steps are timed
    PREPARING = "preparing"  # reading the data and building the model, before the first step
    TRAINING = "training"
    PAUSING = "pausing"  # asked to pause: after the current step
    PAUSED = "paused"  # a checkpoint is saved; Resume goes on from it
    STOPPING = "stopping"  # asked to cancel: after the current step
    SAVING = "saving"  # the run ended with a model: publishing it (or asking for another name)

    @property
    def running(self) -> bool:
        """A run is under way (being prepared, training, paused or stopping): closing asks first."""
        return self in RUNNING

    def can_become(self, state: RunState) -> bool:
        return state in TRANSITIONS[self]

    def to(self, state: RunState) -> RunState:
        """``state``, if the table allows the move from this one."""
        if not self.can_become(state):
            raise InvalidTransition(f"the Training tab cannot go from {self.value} to {state.value}")
        return state


class InvalidTransition(ValueError):
    """A move between run states that the table does not list."""


S = RunState
TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    S.IDLE: frozenset({S.ESTIMATING, S.PREPARING}),  # Estimate time; Start or Resume
    S.ESTIMATING: frozenset({S.IDLE}),  # timed, or failed
    S.PREPARING: frozenset({S.TRAINING, S.STOPPING, S.IDLE}),  # the first step; Cancel; failed
    S.TRAINING: frozenset({S.PAUSING, S.PAUSED, S.STOPPING, S.SAVING, S.IDLE}),
    S.PAUSING: frozenset({S.PAUSED, S.TRAINING, S.STOPPING, S.SAVING, S.IDLE}),  # SAVING: it ended first
    S.PAUSED: frozenset({S.TRAINING, S.STOPPING, S.IDLE}),
    S.STOPPING: frozenset({S.SAVING, S.IDLE}),  # a model to save, or none
    S.SAVING: frozenset({S.IDLE}),  # saved, or the user gave up a name
}
RUNNING = frozenset({S.PREPARING, S.TRAINING, S.PAUSING, S.PAUSED, S.STOPPING})
del S
