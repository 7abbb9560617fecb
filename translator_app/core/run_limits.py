"""Limits of a training run that the shells state before they start one (torch-free, so the
Training tab can say them without importing the trainer)."""

MIN_TRAINING_PAIRS = 2  # one to train on and one held out to validate on
