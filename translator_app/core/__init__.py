"""The translation core: text, models, search, model files, training. No Qt here."""
