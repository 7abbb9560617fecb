"""Training: the facade the shells call (``facade``), and the run it prepares, trains and publishes.

Nothing is imported here, so that the torch-free ``facade`` loads without the
trainer and torch.
"""
