"""translator_app: an offline German-to-English translator built on small seq2seq models."""

__version__ = "0.1.0"
